"""Who may use which route: the expected table of test_authz_matrix.py.

One row per named route: one character per actor, in the order of ``ACTORS``:
``O`` allowed, ``-`` denied (login page / 401 / 403), ``H`` hidden (404). Object routes name
objects of station East, so West's clerk and the other parent must see ``H`` or ``-`` there.
"""

ACTORS = ("anon", "clerk_east", "admin_east", "clerk_west", "school", "parent", "parent_west", "sysadmin")

# Routes answered by POST only (the matrix sends an empty form / JSON object; nothing is changed
# by an empty body, but the permission check runs first).
POST_ROUTES = {
    "accounts:logout", "i18n/setlang/", "set_language", "hukou:duplicate_decide", "hukou:case_action",
    "hukou:certificate_print", "hukou:certificate_revoke", "hukou:household_head_change", "hukou:guardian_end",
    "schoolsync:notice_mark_read", "api-token", "api-logout", "api-household-change-head", "api-guardianship-set",
    "api-guardianship-end", "api-case-receive", "api-case-submit", "api-case-complete", "api-case-approve",
    "api-case-reject", "api-case-accept-with-missing", "api-case-supplement", "api-case-id-card",
    "api-archive-page-upload", "api-duplicate-decide", "api-certificate-issue", "api-certificate-print",
    "api-school-notice-read", "api-school-eligibility", "schoolsync:school_lookup", "admin:logout",
}  # fmt: skip

# Django's admin: only the system admin gets past its login (object pages may be 404 for a model
# whose row of that id does not exist, hence ``?``).
ADMIN_PREFIX = "admin:"
ADMIN_ROW = "-------?"

EXPECTED = {
    # Logging out of the admin is harmless for anyone (non-staff are sent to the admin index).
    "admin:logout": "OOOOOOOO",
    "admin:login": "OOOOOOOO",
    # Public doors.
    "home": "OOOOOOOO",
    "healthz": "OOOOOOOO",
    "set_language": "OOOOOOOO",
    "accounts:login": "OOOOOOOO",
    "admin/login/": "OOOOOOOO",
    "accounts:register": "OOOOOOOO",
    "accounts:logout": "OOOOOOOO",
    "api-token": "OOOOOOOO",
    "verify:certificate": "OOOOOOOO",
    "api-certificate-verify": "OOOOOOOO",
    # Any logged-in user.
    "accounts:start": "-OOOOOOO",
    "api-me": "-OOOOOOO",
    "api-logout": "-OOOOOOO",
    # Staff (stations, schools, system admin); never parents or anonymous visitors.
    "api-schema": "-OOOO--O",
    "api-docs": "-OOOO--O",
    # Parents.
    "accounts:parent_home": "-----OO-",
    # Station staff: lists are scoped to the own station; East's objects are hidden from West.
    "hukou:workbench": "-OOO----",
    "hukou:person_detail": "-OOH----",
    "hukou:household_detail": "-OOH----",
    "hukou:household_edit": "-O-H----",
    "hukou:household_head_change": "-O-H----",
    "hukou:guardian_add": "-O-H----",
    "hukou:guardian_end": "-O-H----",
    "hukou:case_receive_start": "-O-O----",
    "hukou:case_receive": "-O-O----",
    "hukou:case_detail": "-OOH----",
    "hukou:case_action": "-OOH----",
    "hukou:archive_page": "-OOH----",
    "hukou:certificate_new": "-OOH----",
    "hukou:certificate_detail": "-OOH----",
    "hukou:certificate_pdf": "-OOH----",
    "hukou:certificate_print": "-OOH----",
    "hukou:certificate_revoke": "--O-----",
    "hukou:approvals": "--O-----",
    "hukou:duplicate_decide": "--O-----",
    "hukou:station_overview": "--O-----",
    "hukou:access_log": "--O-----",
    "hukou:import_list": "--O-----",
    "hukou:import_detail": "--O-----",
    "hukou:import_progress": "--O-----",
    # Station API; the system admin reads the registry (households, persons, stations) of all.
    "api-station-list": "-OOO---O",
    "api-household-list": "-OOO---O",
    "api-household-detail": "-OOH---O",
    "api-household-change-head": "-O-H----",
    "api-person-search": "-OOO---O",
    "api-person-detail": "-OOH---O",
    "api-person-timeline": "-OOH---O",
    "api-guardianship-set": "-O-H----",
    "api-guardianship-end": "-O-H----",
    "api-case-list": "-OOO----",
    "api-case-receive": "-O-O----",
    "api-case-detail": "-OOH----",
    "api-case-submit": "-OOH----",
    "api-case-complete": "-OOH----",
    "api-case-reject": "-OOH----",
    "api-case-accept-with-missing": "-OOH----",
    "api-case-supplement": "-OOH----",
    "api-case-id-card": "-OOH----",
    "api-case-approve": "--O-----",
    "api-archive-page-upload": "-O-O----",
    "api-duplicate-list": "-OOO----",
    "api-duplicate-decide": "--O-----",
    "api-certificate-issue": "-OOO----",
    "api-certificate-detail": "-OOH----",
    "api-certificate-print": "-OOH----",
    "api-access-log": "--O----O",
    # Schools (the change event of the cast is no notice of this school: hidden).
    "schoolsync:school_home": "----O---",
    "schoolsync:school_lookup": "----O---",
    "schoolsync:notice_mark_read": "----H---",
    "api-school-eligibility": "----O---",
    "api-school-notices": "----O---",
    "api-school-notice-read": "----H---",
    # The education system's pull feed: its bearer key, or the system admin.
    "api-sync-changes": "-------O",
    "api-sync-versions": "-------O",
}
