"""Demo data for IBM governance: the Kyrgyz IBM strategy 2025–2030 and its action plan in
outline, with tasks for every agency at the state a commission secretariat would find late
in 2026; four commission meetings (the last one still to come) whose decisions became tasks;
two plan revisions; a year of trainings; equipment handed over; and two donor programmes,
one of whose projects duplicates the other's support to the Border Service.

The plan is kept by the National Coordination Centre (the commission secretariat); status
reports come from the responsible agencies' own users, so the audit trail reads as it would.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy.orm import Session

from chegara.db.base import Tlp
from chegara.governance import capacity, donors, service
from chegara.governance.schemas import (
    DecisionIn,
    DonorIn,
    EquipmentIn,
    MeasureIn,
    MeetingIn,
    ObjectiveIn,
    Participant,
    ParticipationIn,
    ProjectIn,
    StatusIn,
    StrategyIn,
    TaskIn,
    TrainingIn,
)
from chegara.security import audit
from chegara.security import service as security
from chegara.security.policy import Principal
from chegara.settings import Settings

SECRETARIAT = "ncc.secretariat"
STRATEGY = "KG-IBM-2025-2030"
# Who reports for each agency (the agencies' analysts).
REPORTER = {"KG-BS": "border.analyst", "KG-CUSTOMS": "customs.analyst",
            "KG-MVD": "mvd.analyst", "KG-MIGRATION": "migration.analyst",
            "KG-VPSI": "sps.analyst", "KG-NCC": SECRETARIAT}

D = dt.date
# objective code, title, measures: (code, title, tasks: (title, responsible, contributing,
# term, deadline, indicator, state)). State: "done" (on time), "late" (done after its
# deadline), "stuck:N" (open at N%: overdue once past the deadline), "prog:N", "new".
PLAN: tuple[tuple[str, str, tuple[tuple[str, str, tuple[tuple[
        str, str, str, str, dt.date, str, str], ...]], ...]], ...] = (
    ("1", "Пограничный контроль и охрана границы", (
        ("1.1", "Модернизация пограничного контроля в пунктах пропуска", (
            ("Оснащение восьми наиболее загруженных пунктов пропуска автоматизированными "
             "рабочими местами для экспертизы документов", "KG-BS", "KG-MIGRATION", "short",
             D(2025, 12, 31), "оснащено 8 пунктов пропуска", "done"),
            ("Подключение всех автомобильных пунктов пропуска к национальному реестру "
             "документов", "KG-BS", "KG-MVD", "short", D(2026, 6, 30),
             "доля пунктов пропуска, подключённых к реестру", "stuck:70"),
            ("Внедрение второй линии контроля на основе стандартных операционных процедур",
             "KG-BS", "", "mid", D(2027, 12, 31), "СОП утверждены и применяются", "prog:35"),
        )),
        ("1.2", "Охрана «зелёной» границы", (
            ("Оценка уязвимости «зелёной» границы в Баткенской области", "KG-BS",
             "KG-MVD", "short", D(2025, 9, 30), "оценка утверждена", "done"),
            ("Развёртывание мобильных групп наблюдения на кыргызско-таджикской границе",
             "KG-BS", "", "short", D(2026, 12, 31), "4 мобильные группы несут службу",
             "prog:40"),
            ("Тепловизионное наблюдение на 60 км кыргызско-узбекской границы в Ошской "
             "области", "KG-BS", "", "mid", D(2028, 12, 31),
             "протяжённость участков под наблюдением, км", "new"),
        )),
    )),
    ("2", "Таможенный контроль и упрощение процедур торговли", (
        ("2.1", "Таможенный контроль на основе системы управления рисками", (
            ("Автоматизированный отбор деклараций для контроля в ASYCUDA на всех таможенных "
             "постах", "KG-CUSTOMS", "", "short", D(2025, 12, 31),
             "доля деклараций, отобранных автоматически", "late"),
            ("Создание подразделения контроля после выпуска товаров с профилями рисков",
             "KG-CUSTOMS", "", "short", D(2026, 9, 30),
             "подразделение укомплектовано; 50 проверок в год", "stuck:55"),
            ("Программа уполномоченных экономических операторов", "KG-CUSTOMS", "KG-VPSI",
             "mid", D(2027, 6, 30), "количество выданных свидетельств УЭО", "prog:25"),
        )),
        ("2.2", "Совместный контроль и контроль по принципу «одной остановки»", (
            ("Контроль по принципу «одной остановки» в пункте пропуска «Ак-Жол» совместно со "
             "службами Республики Казахстан", "KG-CUSTOMS", "KG-BS;KG-VPSI", "short",
             D(2026, 12, 15), "совместный контроль осуществляется", "prog:85"),
            ("Единое окно для выдачи разрешений на экспорт и импорт", "KG-CUSTOMS", "KG-VPSI",
             "mid", D(2028, 12, 31), "доля разрешений, выданных через единое окно", "new"),
        )),
    )),
    ("3", "Ветеринарный и фитосанитарный контроль", (
        ("3.1", "Ветеринарный и фитосанитарный контроль на границе на основе оценки рисков", (
            ("Категории риска подконтрольных грузов по видам товаров и странам происхождения",
             "KG-VPSI", "KG-CUSTOMS", "short", D(2025, 12, 31), "категории утверждены",
             "done"),
            ("Приведение пограничных инспекционных пунктов «Торугарт» и «Иркештам» в "
             "соответствие со стандартами", "KG-VPSI", "", "mid", D(2027, 12, 31),
             "пункты аккредитованы", "prog:30"),
        )),
        ("3.2", "Укрепление лабораторного потенциала", (
            ("Аккредитация референтной лаборатории в г. Бишкек на соответствие ISO/IEC 17025",
             "KG-VPSI", "", "short", D(2026, 10, 31), "аттестат аккредитации", "stuck:80"),
            ("Экспресс-диагностика болезней животных методом ПЦР в пограничных пунктах",
             "KG-VPSI", "", "mid", D(2028, 6, 30), "количество пунктов с ПЦР-диагностикой",
             "new"),
        )),
    )),
    ("4", "Управление миграцией и безопасность документов", (
        ("4.1", "Защищённые документы и регистрация иностранных граждан", (
            ("Биометрические виды на жительство для иностранных граждан", "KG-MIGRATION",
             "KG-MVD", "short", D(2026, 3, 31), "выдаются виды на жительство нового образца",
             "done"),
            ("Электронная регистрация иностранных граждан по месту пребывания",
             "KG-MIGRATION", "KG-BS", "short", D(2027, 1, 15),
             "доля регистраций, оформленных в электронном виде", "prog:50"),
        )),
        ("4.2", "Возвращение и реадмиссия", (
            ("Процедуры добровольного возвращения, согласованные со странами происхождения",
             "KG-MIGRATION", "KG-BS", "mid", D(2027, 12, 31), "процедуры согласованы",
             "prog:20"),
            ("Система учёта дел по реадмиссии", "KG-MIGRATION", "", "mid",
             D(2029, 12, 31), "система введена в эксплуатацию", "new"),
        )),
    )),
    ("5", "Противодействие трансграничной преступности", (
        ("5.1", "Незаконный оборот наркотиков и оружия, торговля людьми", (
            ("Совместные мобильные группы милиции, таможенной и пограничной служб на юге "
             "страны", "KG-MVD", "KG-BS;KG-CUSTOMS", "short", D(2026, 6, 30),
             "количество совместных операций в год", "stuck:60"),
            ("Национальный механизм перенаправления жертв торговли людьми, выявленных на "
             "границе", "KG-MVD", "KG-MIGRATION", "mid", D(2027, 6, 30),
             "механизм утверждён", "prog:45"),
        )),
        ("5.2", "Угнанные транспортные средства и поддельные документы", (
            ("Проверка по базам данных Интерпола SMV и SLTD во всех автомобильных пунктах "
             "пропуска", "KG-MVD", "KG-BS", "short", D(2025, 12, 31),
             "доля пунктов пропуска, проводящих проверку", "done"),
            ("Лаборатория технико-криминалистической экспертизы документов в г. Ош",
             "KG-MVD", "KG-BS", "mid", D(2028, 12, 31), "лаборатория введена в эксплуатацию",
             "new"),
        )),
    )),
    ("6", "Межведомственное взаимодействие и обмен информацией", (
        ("6.1", "Совместный анализ рисков", (
            ("Ввод в эксплуатацию национальной системы управления рисками в сфере "
             "безопасности границы", "KG-NCC",
             "KG-BS;KG-CUSTOMS;KG-MVD;KG-MIGRATION;KG-VPSI", "short", D(2026, 6, 30),
             "подключены все ведомства", "done"),
            ("Ежемесячный совместный бюллетень индикаторов риска", "KG-NCC",
             "KG-BS;KG-CUSTOMS", "short", D(2026, 1, 31), "12 бюллетеней в год", "done"),
            ("Ежегодный национальный анализ рисков (CIRAM)", "KG-NCC",
             "KG-BS;KG-CUSTOMS;KG-MVD", "mid", D(2027, 3, 31), "анализ одобрен комиссией",
             "prog:60"),
        )),
        ("6.2", "Обмен информацией", (
            ("Межведомственное соглашение об обмене данными и уровнях распространения "
             "информации", "KG-NCC", "KG-BS;KG-CUSTOMS;KG-MVD", "short", D(2025, 10, 31),
             "соглашение подписано", "late"),
            ("Общие списки наблюдения с внесением изменений по принципу «четырёх глаз»",
             "KG-BS", "KG-MVD", "short", D(2026, 12, 20), "списки используются совместно",
             "prog:65"),
        )),
    )),
    ("7", "Международное сотрудничество", (
        ("7.1", "Сотрудничество с сопредельными государствами", (
            ("Пограничные контактные пункты с Республикой Казахстан на направлениях «Ак-Жол» и "
             "«Кордай»",
             "KG-BS", "KG-CUSTOMS", "short", D(2026, 6, 30), "пункты открыты", "done"),
            ("Совместное патрулирование с Республикой Таджикистан на согласованных участках",
             "KG-BS", "", "mid", D(2028, 6, 30), "количество совместных патрулей в год",
             "prog:15"),
        )),
    )),
    ("8", "Кадровое обеспечение и подготовка кадров", (
        ("8.1", "Единые учебные программы", (
            ("Общая базовая учебная программа по ИУГ для всех пограничных ведомств", "KG-NCC",
             "KG-BS;KG-CUSTOMS;KG-VPSI;KG-MIGRATION", "short", D(2026, 4, 30),
             "программа утверждена", "done"),
            ("Резерв национальных тренеров по экспертизе документов", "KG-BS",
             "KG-MIGRATION", "short", D(2026, 11, 30), "20 сертифицированных тренеров",
             "prog:75"),
        )),
        ("8.2", "Дистанционное обучение", (
            ("Общая платформа дистанционного обучения для учебных заведений ведомств",
             "KG-NCC", "KG-BS;KG-CUSTOMS", "mid", D(2027, 12, 31),
             "количество курсов на платформе", "prog:30"),
        )),
    )),
)
# Kept to the Border Service and the secretariat (distribution "agency"): the others do not
# see it. The task code it gets.
RESTRICTED_TASK = "1.2.1"

NewTask = tuple[str, str, str, str, str, dt.date, str, str]
MEETINGS: tuple[tuple[dt.date, str, str, list[str], list[tuple[str, NewTask | None]]], ...] = (
    # held on, title, place, agenda, decisions: (text, new task or None)
    (D(2025, 3, 14), "Заседание комиссии № 1/2025", "г. Бишкек, Дом Правительства",
     ["Об утверждении плана действий на 2025–2030 годы", "О порядке представления отчётности"],
     [("Утвердить план действий по реализации Стратегии ИУГ на 2025–2030 годы (редакция 1).",
       None),
      ("Ведомствам ежеквартально представлять информацию о ходе выполнения своих задач через "
       "систему «Чегара».", None)]),
    (D(2025, 11, 20), "Заседание комиссии № 2/2025",
     "г. Бишкек, Национальный координационный центр",
     ["О ходе выполнения краткосрочных задач", "Об обучении и донорской помощи"],
     [("Разработать методику совместного анализа рисков Пограничной службы и Государственной "
       "таможенной службы.",
       ("6.1", "6.1.4", "Методика совместного анализа рисков Пограничной службы и "
        "Государственной таможенной службы", "KG-NCC", "KG-BS;KG-CUSTOMS", D(2026, 9, 30),
        "методика утверждена", "done")),
      ("Организовать обучение тренеров по экспертизе документов совместно с Колледжем "
       "персонала пограничного управления ОБСЕ.",
       ("8.1", "8.1.3", "Обучение тренеров по экспертизе документов", "KG-BS",
        "KG-MIGRATION", D(2026, 12, 31), "тренеры сертифицированы", "prog:50"))]),
    (D(2026, 6, 12), "Заседание комиссии № 1/2026", "г. Чолпон-Ата",
     ["О ходе выполнения плана за первое полугодие",
      "О координации донорской помощи: дублирование программ"],
     [("Обратиться к донорам с просьбой согласовать, какая из программ оказывает поддержку в "
       "охране «зелёной» границы.",
       ("7.1", "7.1.3", "Координационное совещание доноров по поддержке Пограничной службы",
        "KG-NCC", "KG-BS", D(2026, 9, 15), "распределение поддержки согласовано",
        "stuck:40")),
      ("Государственной таможенной службе представить план мер по устранению отставания в "
       "создании подразделения контроля после выпуска товаров.", None)]),
    (D(2026, 12, 15), "Заседание комиссии № 2/2026", "г. Бишкек, Дом Правительства",
     ["Об итогах выполнения плана за год", "О пересмотре плана действий на 2027 год"], []),
)
PARTICIPANTS = (("Кубанычбек Осмонов", "KG-NCC", "Председатель, заместитель секретаря Совета "
                 "безопасности"),
                ("Бакыт Токтогулов", "KG-BS", "Заместитель командующего"),
                ("Улан Шаршеев", "KG-CUSTOMS", "Заместитель председателя"),
                ("Канат Бекмуратов", "KG-MVD", "Начальник управления"),
                ("Тимур Усенов", "KG-MIGRATION", "Начальник управления"),
                ("Айнура Жээнбекова", "KG-VPSI", "Заместитель директора"),
                ("Назира Абдыкадырова", "KG-NCC", "Секретарь комиссии"))

DONORS = (("EU", "Европейский союз"), ("JP-UNDP", "Правительство Японии через ПРООН"))
PROJECTS = (
    # donor, code, title, programme, implementer, budget, currency, start, end,
    # beneficiaries, objective codes
    ("EU", "BOMCA10-KG1", "Укрепление потенциала в сфере управления границами в Кыргызстане",
     "BOMCA 10", "Консорциум пограничных служб государств — членов ЕС", 4_500_000, "EUR",
     D(2024, 6, 1), D(2027, 12, 31), "KG-BS;KG-CUSTOMS;KG-NCC", "1;8"),
    ("EU", "BOMCA10-KG2", "Анализ рисков и обмен информацией", "BOMCA 10",
     "Консорциум пограничных служб государств — членов ЕС", 1_200_000, "EUR", D(2025, 1, 1),
     D(2026, 12, 31), "KG-BS;KG-CUSTOMS", "6"),
    ("JP-UNDP", "FV-BORDER-1", "Приграничные сообщества и пограничные заставы в Ферганской "
     "долине", "Трансграничное сотрудничество в Ферганской долине", "ПРООН в Кыргызстане",
     3_000_000, "USD", D(2025, 3, 1), D(2027, 3, 31), "KG-BS;KG-VPSI", "1;7"),
    ("JP-UNDP", "FV-SPS-2", "Ветеринарные и фитосанитарные лаборатории",
     "Трансграничное сотрудничество в Ферганской долине", "ПРООН в Кыргызстане", 1_100_000,
     "USD", D(2025, 6, 1), D(2027, 6, 30), "KG-VPSI", "3"),
)

TRAININGS = (
    # kind, topic, start, days, place or "" for distance, organiser, partner, trainers,
    # measure, project, participants "AGENCY:women/men/certified"
    ("training_of_trainers", "Экспертиза документов: курс для тренеров", D(2025, 12, 8), 10,
     "г. Бишкек, учебный центр Пограничной службы", "Пограничная служба",
     "Колледж персонала пограничного управления ОБСЕ", "Г. Сыдыкова;Я. Новак", "8.1",
     "BOMCA10-KG1", "KG-BS:4/10/13;KG-MIGRATION:3/2/5"),
    ("course", "Анализ рисков по модели CIRAM", D(2026, 1, 19), 5, "г. Бишкек, НКЦ",
     "Национальный координационный центр", "", "А. Линдквист", "6.1", "BOMCA10-KG2",
     "KG-BS:3/9/12;KG-CUSTOMS:5/6/11;KG-MVD:1/4/5"),
    ("distance_lecture", "Поддельные документы: новые тенденции", D(2026, 2, 10), 1, "",
     "Учебный центр Пограничной службы", "Учебный центр Государственной таможенной службы",
     "Ж. Касымова", "8.2", "", "KG-BS:12/38/0;KG-CUSTOMS:9/14/0;KG-MIGRATION:6/5/0"),
    ("course", "Уполномоченные экономические операторы", D(2026, 3, 2), 3,
     "г. Бишкек, учебный центр Государственной таможенной службы",
     "Государственная таможенная служба", "", "М. Росси", "2.1", "", "KG-CUSTOMS:7/11/18"),
    ("workshop", "Контроль по принципу «одной остановки» в пункте пропуска «Ак-Жол»",
     D(2026, 3, 24), 2, "Ак-Жол", "Государственная таможенная служба",
     "Комитет государственных доходов Республики Казахстан", "", "2.2", "",
     "KG-CUSTOMS:3/8/0;KG-BS:2/9/0;KG-VPSI:2/3/0"),
    ("course", "Отбор проб и экспресс-тесты для ветеринарных и фитосанитарных инспекторов",
     D(2026, 4, 13), 5, "г. Ош", "Инспекция по ветеринарной и фитосанитарной безопасности",
     "", "Б. Алымкулова", "3.1", "FV-SPS-2", "KG-VPSI:9/7/16"),
    ("distance_lecture", "Концепции ИУГ Европейского союза и Центральной Азии",
     D(2026, 4, 28), 1, "", "Учебный центр Государственной таможенной службы",
     "Учебный центр Пограничной службы", "Я. Новак", "8.2", "",
     "KG-BS:10/31/0;KG-CUSTOMS:8/12/0;KG-VPSI:4/2/0;KG-MIGRATION:5/3/0"),
    ("exercise", "Совместные учения на кыргызско-таджикской границе", D(2026, 5, 18), 3,
     "г. Баткен", "Пограничная служба", "", "", "1.2", "FV-BORDER-1",
     "KG-BS:2/24/0;KG-MVD:1/8/0"),
    ("study_visit", "Охрана «зелёной» границы: опыт Латвии", D(2026, 6, 22), 5, "г. Рига",
     "Пограничная служба", "Государственная пограничная охрана Латвийской Республики", "",
     "1.2", "BOMCA10-KG1", "KG-BS:2/6/0"),
    ("course", "Правоохранительная деятельность на границе на основе анализа оперативной "
     "информации", D(2026, 7, 6), 5, "г. Бишкек", "Министерство внутренних дел", "",
     "К. Бекмуратов", "", "", "KG-MVD:3/12/15;KG-BS:1/4/5"),
    ("training_of_trainers", "Гендерные аспекты и права человека на границе", D(2026, 9, 14),
     4, "г. Чолпон-Ата", "Национальный координационный центр", "ОБСЕ",
     "А. Линдквист;Н. Абдыкадырова", "8.1", "BOMCA10-KG1",
     "KG-BS:6/6/12;KG-CUSTOMS:4/3/7;KG-MIGRATION:3/1/4"),
    ("distance_lecture", "Профилирование пассажиров на основе данных PNR", D(2026, 10, 7), 1,
     "", "Учебный центр Пограничной службы", "Учебный центр Государственной таможенной службы",
     "А. Осмонова", "6.1", "", "KG-BS:9/25/0;KG-CUSTOMS:6/8/0;KG-MIGRATION:4/2/0"),
    ("course", "Менеджмент качества в лаборатории (ISO/IEC 17025)", D(2026, 10, 19), 5,
     "Референтная лаборатория, г. Бишкек",
     "Инспекция по ветеринарной и фитосанитарной безопасности", "", "", "3.2", "FV-SPS-2",
     "KG-VPSI:8/3/11"),
    ("workshop", "Электронная регистрация иностранных граждан", D(2026, 11, 10), 2,
     "г. Бишкек", "Миграционная служба", "", "Т. Усенов", "4.1", "",
     "KG-MIGRATION:7/5/0;KG-BS:1/3/0"),
)

ORGANISERS = {"Пограничная служба": "KG-BS", "Учебный центр Пограничной службы": "KG-BS",
              "Государственная таможенная служба": "KG-CUSTOMS",
              "Учебный центр Государственной таможенной службы": "KG-CUSTOMS",
              "Национальный координационный центр": "KG-NCC",
              "Министерство внутренних дел": "KG-MVD", "Миграционная служба": "KG-MIGRATION",
              "Инспекция по ветеринарной и фитосанитарной безопасности": "KG-VPSI"}

EQUIPMENT = (
    # item, category, quantity, recipient, date, place, value, currency, project,
    # measure, training (topic) or ""
    ("Автоматизированное рабочее место для экспертизы документов (видеоспектральный "
     "компаратор)", "document_examination", 8, "KG-BS", D(2025, 11, 25),
     "Ак-Жол, Достук, Кара-Суу, аэропорт «Манас» и другие пункты пропуска", 320_000, "EUR",
     "BOMCA10-KG1", "1.1", "Экспертиза документов: курс для тренеров"),
    ("Портативные считыватели паспортов и машиносчитываемой зоны (MRZ)",
     "document_examination", 40, "KG-MIGRATION", D(2026, 2, 18),
     "Подразделения регистрации в городах Бишкек и Ош", 60_000, "EUR", "BOMCA10-KG1", "4.1",
     ""),
    ("Тепловизионные камеры", "surveillance", 6, "KG-BS", D(2026, 5, 12), "г. Баткен",
     450_000, "USD", "FV-BORDER-1", "1.2", "Совместные учения на кыргызско-таджикской границе"),
    ("Персональные детекторы радиации", "detection", 25, "KG-CUSTOMS", D(2026, 7, 1),
     "Торугарт, Иркештам", 75_000, "EUR", "BOMCA10-KG1", "2.1", ""),
    ("Комплект лабораторного оборудования для ПЦР в реальном времени", "laboratory", 2,
     "KG-VPSI", D(2026, 9, 29), "Референтная лаборатория в г. Бишкек; г. Ош", 210_000, "USD",
     "FV-SPS-2", "3.2", "Менеджмент качества в лаборатории (ISO/IEC 17025)"),
)


@dataclass(frozen=True)
class GovernanceDemo:
    tasks: int
    meetings: int
    trainings: int
    handovers: int
    projects: int


def _as(session: Session, username: str) -> Principal:
    principal = security.principal_for(session, security.find_user(session, username))
    audit.set_actor(session, security.actor_of(principal))
    return principal


def _codes(text: str) -> list[str]:
    return [c for c in text.split(";") if c]


def load_governance_demo(session: Session, settings: Settings) -> GovernanceDemo:
    secretariat = _as(session, SECRETARIAT)
    strategy = service.create_strategy(session, secretariat, StrategyIn(
        code=STRATEGY, title="Стратегия интегрированного управления границами Кыргызской "
        "Республики на 2025–2030 годы", first_year=2025, last_year=2030))
    measures: dict[str, int] = {}
    states: dict[str, str] = {}
    for objective_code, objective_title, objective_measures in PLAN:
        objective = service.add_objective(session, secretariat, strategy.id, ObjectiveIn(
            code=objective_code, title=objective_title))
        for measure_code, measure_title, tasks in objective_measures:
            measure = service.add_measure(session, secretariat, objective.id, MeasureIn(
                code=measure_code, title=measure_title))
            measures[measure_code] = measure.id
            for number, (title, responsible, contributing, term, deadline, indicator,
                         state) in enumerate(tasks, start=1):
                code = f"{measure_code}.{number}"
                restricted = code == RESTRICTED_TASK
                service.create_task(session, secretariat, TaskIn(
                    measure_id=measure.id, code=code, title=title, responsible=responsible,
                    contributing=_codes(contributing), term=term,  # type: ignore[arg-type]
                    deadline=deadline, indicator=indicator,
                    distribution="agency" if restricted else "national",
                    tlp=Tlp.AMBER if restricted else Tlp.GREEN))
                states[code] = state
    service.revise(session, secretariat, strategy.id,
                   "Редакция 1, утверждённая комиссией 14 марта 2025 года")
    meetings = _meetings(session, secretariat, strategy.id, measures, states)
    _edit_for_revision(session, secretariat, strategy.id)
    service.revise(session, secretariat, strategy.id,
                   "Редакция 2: задачи по решениям заседаний ноября 2025 года и июня 2026 года")
    _report_progress(session, strategy.id, states, settings)
    projects = _donors(session, strategy.id)
    trainings = _trainings(session, measures, projects)
    handovers = _equipment(session, measures, projects, trainings)
    audit.set_actor(session, audit.Actor.system("cli:demo"))
    return GovernanceDemo(len(states), meetings, len(trainings), handovers, len(projects))


def _meetings(session: Session, secretariat: Principal, strategy_id: int,
              measures: dict[str, int], states: dict[str, str]) -> int:
    audit.set_actor(session, security.actor_of(secretariat))
    for held_on, title, place, agenda, decisions in MEETINGS:
        meeting = service.create_meeting(session, secretariat, MeetingIn(
            strategy_id=strategy_id, title=title, held_on=held_on, place=place,
            agenda=agenda, participants=[Participant(name=n, agency=a, position=p)
                                         for n, a, p in PARTICIPANTS],
            minutes="" if held_on > service.today() else
            f"Комиссия рассмотрела вопросы: {'; '.join(agenda)}."))
        for text, task in decisions:
            data = None
            if task is not None:
                measure, code, task_title, responsible, contributing, deadline, indicator, \
                    state = task
                data = TaskIn(measure_id=measures[measure], code=code, title=task_title,
                              responsible=responsible, contributing=_codes(contributing),
                              term="short", deadline=deadline, indicator=indicator)
                states[code] = state
            service.add_decision(session, secretariat, meeting.id,
                                 DecisionIn(text=text, task=data))
    return len(MEETINGS)


def _edit_for_revision(session: Session, secretariat: Principal, strategy_id: int) -> None:
    """The commission moved one deadline in June 2026: recorded against version 2."""
    from chegara.governance.schemas import TaskEditIn

    task = next(t for t in service.all_tasks(session, secretariat, strategy_id)
                if t.code == "4.1.2")
    service.edit_task(session, secretariat, task.id, TaskEditIn(deadline=D(2027, 1, 15)))


def _report_progress(session: Session, strategy_id: int, states: dict[str, str],
                     settings: Settings) -> None:
    tasks = {t.code: t for t in service.all_tasks(session, _as(session, SECRETARIAT),
                                                  strategy_id)}
    agencies = service.agencies_by_id(session)
    for code, state in states.items():
        if state == "new":
            continue
        task = tasks[code]
        reporter = _as(session, REPORTER[agencies[task.responsible_agency_id].code])
        kind, _, percent = state.partition(":")
        if kind in ("done", "late"):
            service.update_status(session, reporter, task.id, StatusIn(
                status="in_progress", progress=50, note="Работа ведётся."))
            service.update_status(session, reporter, task.id, StatusIn(
                status="done", note="Выполнено; подтверждающие документы приложены."))
            late = 45 if kind == "late" else -20
            task.completed_on = task.deadline + dt.timedelta(days=late)
            evidence = (f"{task.code} {task.title}\nВыполнено {task.completed_on:%d.%m.%Y}.\n"
                        f"Показатель: {task.indicator}\n").encode()
            service.attach_evidence(session, reporter, task.id, home=settings.home,
                                    filename=f"report-{task.code}.txt",
                                    content_type="text/plain", stream=io.BytesIO(evidence),
                                    max_bytes=settings.max_upload_bytes,
                                    note="Отчёт о выполнении")
        else:
            status = "delayed" if kind == "stuck" and int(percent) < 50 else "in_progress"
            service.update_status(session, reporter, task.id, StatusIn(
                status=status, progress=int(percent),  # type: ignore[arg-type]
                note="Финансирование второго этапа пока не обеспечено." if status == "delayed"
                else "Выполняется по плану."))
    session.flush()


def _donors(session: Session, strategy_id: int) -> dict[str, int]:
    secretariat = _as(session, SECRETARIAT)
    for code, name in DONORS:
        donors.create_donor(session, secretariat, DonorIn(code=code, name=name))
    objectives = {o.code: o.id for o in service.objectives_of(session, strategy_id)}
    made = {}
    for donor, code, title, programme, implementer, budget, currency, start, end, \
            beneficiaries, served in PROJECTS:
        project = donors.create_project(session, secretariat, ProjectIn(
            donor=donor, code=code, title=title, programme=programme,
            implementer=implementer, budget=budget, currency=currency, starts_on=start,
            ends_on=end, beneficiaries=_codes(beneficiaries),
            objective_ids=[objectives[o] for o in _codes(served)]))
        made[code] = project.id
    return made


def _participants(text: str) -> list[ParticipationIn]:
    rows = []
    for part in _codes(text):
        agency, _, counts = part.partition(":")
        women, men, certified = (int(n) for n in counts.split("/"))
        rows.append(ParticipationIn(agency=agency, women=women, men=men,
                                    certificates=certified))
    return rows


def _trainings(session: Session, measures: dict[str, int], projects: dict[str, int]
               ) -> dict[str, int]:
    made = {}
    for kind, topic, start, days, place, organiser, partner, trainers, measure, project, \
            participants in TRAININGS:
        principal = _as(session, REPORTER[ORGANISERS[organiser]])
        training = capacity.create_training(session, principal, TrainingIn(
            kind=kind, topic=topic, starts_on=start,  # type: ignore[arg-type]
            ends_on=start + dt.timedelta(days=days - 1), place=place, distance=not place,
            organiser=organiser, partner_institution=partner, trainers=_codes(trainers),
            measure_id=measures.get(measure), project_id=projects.get(project),
            participants=_participants(participants)))
        made[topic] = training.id
    return made


def _equipment(session: Session, measures: dict[str, int], projects: dict[str, int],
               trainings: dict[str, int]) -> int:
    secretariat = _as(session, SECRETARIAT)
    for item, category, quantity, recipient, on, place, value, currency, project, measure, \
            training in EQUIPMENT:
        capacity.create_handover(session, secretariat, EquipmentIn(
            item=item, category=category, quantity=quantity,  # type: ignore[arg-type]
            recipient=recipient, handed_over_on=on, location=place, value=value,
            currency=currency, project_id=projects[project], measure_id=measures[measure],
            training_id=trainings.get(training), training_given=bool(training)))
    return len(EQUIPMENT)

