"""Who may use which route: the expected table of test_authz_matrix.py.

One row per named route: one character per actor, in the order of ``ACTORS``:
``O`` allowed, ``-`` denied (login page / 401 / 403), ``H`` hidden (404). Object routes name
objects of station East, so West's clerk and the other parent must see ``H`` or ``-`` there.
``EXPECTED_WEST`` is the second visit of the routes naming a booking, ticket, window, report,
application, upload or identity claim, with West's object (the second parent's): the mirror image.

Who should see what in the newer apps (docs/appointments.md, docs/documents.md): a parent only
their own bookings and applications (and those they made for their children); station staff
only their own station's tickets, windows, applications and uploads; the station admin alone the
flagged bookings, 办不成事 reports and identity claims of the station; schools and the system
admin none of it. Public without login: the 办事指南 guide, the waiting-room display of a station
and the visitor's ticket page (its URL carries the ticket's secret token, printed as a QR code).
"""

ACTORS = ("anon", "clerk_east", "admin_east", "clerk_west", "school", "parent", "parent_west", "sysadmin")

# Routes answered by POST only (the matrix sends an empty form / JSON object; nothing is changed
# by an empty body, but the permission check runs first).
POST_ROUTES = {
    "accounts:logout", "i18n/setlang/", "set_language", "hukou:duplicate_decide", "hukou:case_action",
    "hukou:certificate_print", "hukou:certificate_revoke", "hukou:household_head_change", "hukou:guardian_end",
    "schoolsync:notice_mark_read", "api-token", "api-logout", "api-household-change-head", "api-guardianship-set",
    "api-guardianship-end", "api-case-receive", "api-case-submit", "api-case-complete", "api-case-approve",
    "api-case-reject", "api-case-send-back", "api-case-accept-with-missing", "api-case-supplement", "api-case-id-card",
    "api-archive-page-upload", "api-duplicate-decide", "api-certificate-issue", "api-certificate-print",
    "api-school-notice-read", "api-school-eligibility", "schoolsync:school_lookup", "admin:logout",
    "accounts:identity_claim_decide", "appointments:booking_cancel", "appointments:console_action",
    "api-booking-create", "api-booking-cancel", "api-ticket-call", "api-ticket-recall", "api-window-call-next",
    "api-appointments-ping", "documents:application_new", "documents:item_upload", "documents:commitment",
    "documents:notice_new", "documents:receive", "documents:accept_with_missing", "documents:window_notice_new",
    "documents:override", "documents:beyond_notice", "api-booking-late", "appointments:booking_late",
    "documents:visit_start", "documents:visit_tie", "documents:ticket_receive", "api-documents-checklist",
    "api-documents-application-create", "api-documents-answers", "api-documents-upload", "api-documents-tie",
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
    "api-case-send-back": "--O-----",
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
    # Parent identities: the window check for clerks and the station admin; claims are decided
    # by the admin of the station where the person is registered; a parent's own child's
    # certificate only.
    "accounts:identity_window": "-OOO----",
    "accounts:identity_claim_decide": "--O-----",
    "accounts:parent_certificate": "-----OH-",
    # Booking (parents, their own bookings only).
    "appointments:booking_home": "-----OO-",
    "appointments:booking_slots": "-----OO-",
    "appointments:booking_detail": "-----OH-",
    "appointments:booking_cancel": "-----OH-",
    "appointments:booking_reschedule": "-----OH-",
    "api-bookings": "-----OO-",
    "api-booking-create": "-----OO-",
    "api-booking-cancel": "-----OH-",
    "api-appointment-slots": "-OOO-OO-",
    "api-appointments-ping": "-OOO-OO-",
    # Public: the waiting-room display and the ticket holder's page (secret token in the URL).
    "appointments:display": "OOOOOOOO",
    "appointments:ticket_page": "OOOOOOOO",
    "appointments:ticket_rate": "OOOOOOOO",
    "appointments:ticket_report": "OOOOOOOO",
    # Station devices and window staff, own station's tickets and windows only.
    "appointments:kiosk": "-OOO----",
    "appointments:console": "-OOO----",
    "appointments:proxy_booking": "-OOO----",
    "appointments:ticket_print": "-OOH----",
    "appointments:ticket_done": "-OOH----",
    "appointments:ticket_case_return": "-OOH----",
    "appointments:console_window": "-OOH----",
    "appointments:console_action": "-OOH----",
    "appointments:rating_tablet": "-OOH----",
    "api-ticket-call": "-OOH----",
    "api-ticket-recall": "-OOH----",
    "api-window-call-next": "-OOH----",
    # The station admin: flagged bookings and 办不成事 reports.
    "appointments:station_desk": "--O-----",
    "appointments:follow_up_detail": "--O-----",
    # Materials: the public guide; the parent's own applications; files and notices for the
    # applicant and the application's station (a 404 for every other logged-in user).
    "documents:guide_index": "OOOOOOOO",
    "documents:guide_detail": "OOOOOOOO",
    "documents:my_applications": "-----OO-",
    "documents:application_new": "-----OO-",
    "documents:application": "-----OH-",
    "documents:questions": "-----OH-",
    "documents:application_status": "-----OH-",
    "documents:item_upload": "-----OH-",
    "documents:commitment": "-----OH-",
    "documents:notice_new": "-----OH-",
    "documents:notice": "-OOHHOHH",
    "documents:notice_pdf": "-OOHHOHH",
    "documents:upload_file": "-OOHHOHH",
    # Where booking and pre-review meet, and the documents API (parent-scoped, station-scoped reads).
    "appointments:booking_late": "-----OH-",
    "api-booking-late": "-----OH-",
    "appointments:desk_checkin": "-OOO----",
    "appointments:desk_ticket": "-OOH----",
    "documents:item_sample": "OOOOOOOO",
    "documents:ticket_receive": "-O-H----",
    "documents:visit_book": "-----OH-",
    "documents:visit_return": "-----OH-",
    "documents:visit_start": "-----OH-",
    "documents:visit_tie": "-----OH-",
    "api-documents-business-types": "OOOOOOOO",
    "api-documents-guide": "OOOOOOOO",
    "api-documents-checklist": "OOOOOOOO",
    "api-documents-applications": "-OOO-OO-",
    "api-documents-application-create": "-----OO-",
    "api-documents-application": "-OOH-OH-",
    "api-documents-answers": "-----OH-",
    "api-documents-upload": "-----OH-",
    "api-documents-notice": "-OOH-OH-",
    "api-documents-tie": "-----OH-",
    "documents:station_list": "-OOO----",
    "documents:review": "-OOH----",
    # The window (receiving clerks; the station admin approves, it does not receive).
    "documents:receive": "-O-H----",
    "documents:accept_with_missing": "-O-H----",
    "documents:window_notice_new": "-O-H----",
    "documents:override": "-O-H----",
    "documents:beyond_notice": "-O-H----",
}

# The same routes with West's object (and the second parent's): the mirror image of EXPECTED.
EXPECTED_WEST = {
    "accounts:identity_claim_decide": "--H-----",
    "appointments:booking_detail": "-----HO-",
    "appointments:booking_cancel": "-----HO-",
    "appointments:booking_reschedule": "-----HO-",
    "api-booking-cancel": "-----HO-",
    "appointments:display": "OOOOOOOO",
    "appointments:ticket_page": "OOOOOOOO",
    "appointments:ticket_rate": "OOOOOOOO",
    "appointments:ticket_report": "OOOOOOOO",
    "appointments:ticket_print": "-HHO----",
    "appointments:ticket_done": "-HHO----",
    "appointments:ticket_case_return": "-HHO----",
    "appointments:console_window": "-HHO----",
    "appointments:console_action": "-HHO----",
    "appointments:rating_tablet": "-HHO----",
    "api-ticket-call": "-HHO----",
    "api-ticket-recall": "-HHO----",
    "api-window-call-next": "-HHO----",
    "appointments:follow_up_detail": "--H-----",
    "documents:application": "-----HO-",
    "documents:questions": "-----HO-",
    "documents:application_status": "-----HO-",
    "documents:item_upload": "-----HO-",
    "documents:commitment": "-----HO-",
    "documents:notice_new": "-----HO-",
    "documents:notice": "-HHOHHOH",
    "documents:notice_pdf": "-HHOHHOH",
    "documents:upload_file": "-HHOHHOH",
    "appointments:booking_late": "-----HO-",
    "api-booking-late": "-----HO-",
    "appointments:desk_ticket": "-HHO----",
    "documents:item_sample": "OOOOOOOO",
    "documents:ticket_receive": "-H-O----",
    "documents:visit_book": "-----HO-",
    "documents:visit_return": "-----HO-",
    "documents:visit_start": "-----HO-",
    "documents:visit_tie": "-----HO-",
    "api-documents-application": "-HHO-HO-",
    "api-documents-answers": "-----HO-",
    "api-documents-upload": "-----HO-",
    "api-documents-notice": "-HHO-HO-",
    "api-documents-tie": "-----HO-",
    "documents:review": "-HHO----",
    "documents:receive": "-H-O----",
    "documents:accept_with_missing": "-H-O----",
    "documents:window_notice_new": "-H-O----",
    "documents:override": "-H-O----",
    "documents:beyond_notice": "-H-O----",
}
