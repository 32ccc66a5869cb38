"""The standard business catalogue (八大类业务 plus the certificates), loaded by a data migration.

Admins may change time limits and roles afterwards; this is only the starting point. Time limits
are in Chinese working days.
"""

SIGN_OFF = ["approver", "station_admin"]
WINDOW = ["clerk", "aux_clerk"]

CATALOGUE = [
    # code, name, effect, certificate, working days, receivers, approvers
    ("birth", "出生登记", "add_person", "hukou", 1, WINDOW, SIGN_OFF),
    ("death", "死亡注销", "end_person", "", 1, WINDOW, SIGN_OFF),
    ("move_in", "迁入登记", "move_in", "hukou", 7, WINDOW, SIGN_OFF),
    ("move_out", "迁出登记", "move_out", "", 3, WINDOW, SIGN_OFF),
    ("correction", "项目变更更正", "correct_fields", "", 7, WINDOW, SIGN_OFF),
    ("cancellation", "户口注销", "end_person", "", 5, ["clerk"], SIGN_OFF),
    ("restoration", "户口恢复", "restore_person", "", 10, ["clerk"], SIGN_OFF),
    ("id_card", "居民身份证办理", "id_card", "", 20, WINDOW, []),
    ("archive", "档案管理", "archive", "", 3, WINDOW, []),
    ("hukou_certificate", "户籍证明", "certificate_only", "hukou", 1, WINDOW, []),
    ("school_certificate", "入学户籍证明", "certificate_only", "enrolment", 1, WINDOW, []),
    ("register_extract", "常住人口登记卡", "certificate_only", "register_extract", 1, WINDOW, []),
]
