"""Operator pages (`/admin/`): log in, hide and show items, set an item's rubrics, enable and
disable sources. The only routes that change data over the web: every POST here needs a
session, a same-origin request and the session's CSRF token (tests/integration/
test_admin_guard.py walks this table and proves each one refuses the rest).
"""

from __future__ import annotations

from starlette.routing import Route

from aqparat.web.admin import login, views

ROUTES = [
    Route("/admin/", views.home),
    Route("/admin/login", login.login_form, methods=["GET"]),
    Route("/admin/login", login.login, methods=["POST"]),
    Route("/admin/logout", login.logout, methods=["POST"]),
    Route("/admin/items", views.find_item),
    Route("/admin/items/{item_id:int}", views.item_page),
    Route("/admin/items/{item_id:int}/hide", views.hide_item, methods=["POST"]),
    Route("/admin/items/{item_id:int}/unhide", views.unhide_item, methods=["POST"]),
    Route("/admin/items/{item_id:int}/rubrics", views.set_rubrics, methods=["POST"]),
    Route("/admin/sources/{source_id:int}/enable", views.enable_source, methods=["POST"]),
    Route("/admin/sources/{source_id:int}/disable", views.disable_source, methods=["POST"]),
]
