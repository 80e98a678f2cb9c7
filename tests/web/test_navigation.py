"""The sidebar marks exactly the entry of the page being shown."""

from __future__ import annotations

import re
from typing import Any


def test_only_the_closest_entry_is_active(client: Any, sign_in: Any) -> None:
    sign_in("border.analyst")
    for path in ("/screening/hits", "/screening", "/watchlists"):
        page = client.get(path)
        assert page.status_code == 200
        sidebar = page.text.split('<nav class="sidebar"', 1)[1].split("</nav>", 1)[0]
        active = re.findall(r'<a href="([^"]+)" class="active">', sidebar)
        assert active == [path], (path, active)
