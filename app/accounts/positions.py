"""Positions held at the bank. Codes are stored; labels are translated at display time."""
from flask_babel import lazy_gettext as _l

POSITIONS = {
    "teller": _l("High-counter teller"),
    "lobby_manager": _l("Lobby manager"),
    "cs_manager": _l("Customer-service manager"),
    "wealth_manager": _l("Wealth (Ward) account manager"),
    "outlet_head": _l("Outlet head"),
    "pf_manager": _l("Personal-finance manager"),
    "accounting_manager": _l("Accounting manager"),
    "product_manager": _l("Product manager"),
    "wealth_protection_manager": _l("Wealth-protection manager"),
    "senior_account_manager": _l("Senior account manager"),
    "branch_staff": _l("Branch staff"),
    "head_office_staff": _l("Head-office staff"),
}

#: The Chinese names used in rosters, so an import may give either the code or the name.
POSITION_NAMES_ZH = {
    "高柜柜员": "teller",
    "大堂经理": "lobby_manager",
    "客户服务经理": "cs_manager",
    "沃德客户经理": "wealth_manager",
    "网点负责人": "outlet_head",
    "网点责任人": "outlet_head",
    "个金管理经理": "pf_manager",
    "会计业务经理": "accounting_manager",
    "产品经理": "product_manager",
    "财富保障经理": "wealth_protection_manager",
    "高级客户经理": "senior_account_manager",
    "分行员工": "branch_staff",
    "总行员工": "head_office_staff",
}


def position_label(code: str | None) -> str:
    return str(POSITIONS.get(code or "", code or ""))


def parse_position(value: str) -> str | None:
    """A roster cell to a position code, or None when unknown."""
    value = (value or "").strip()
    if value in POSITIONS:
        return value
    return POSITION_NAMES_ZH.get(value)
