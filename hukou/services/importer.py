"""Bulk import of legacy registry data (CSV or Excel), all or nothing by default.

The file is read and every row validated first, outside any transaction (reporting progress as
it goes); only then is everything written in ONE transaction: addresses that do not exist yet,
households, persons, and a django-simple-history "created" record of each, so the timeline
shows who imported whom, when and from which job. On PostgreSQL the rows go in with COPY into
ids reserved from the tables' sequences; elsewhere with bulk_create in batches.

Guarantees: with ``partial=False`` a single invalid row means nothing is written and the job
says which rows failed and why (Chinese messages, spreadsheet row numbers). With
``partial=True`` a household is written only if all of its rows are valid. A constraint the
database still refuses (someone registered the same ID number meanwhile) rolls the whole write
back and fails the job.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import itertools
import operator
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.idnumber import sex_of, validate_id_number
from common.spreadsheets import xlsx_check_size
from common.text import pinyin_of
from common.validators import validate_birth_date, validate_mobile, validate_person_name, validate_plain_text
from hukou.codes import ETHNICITIES, Relationship
from hukou.models import Address, Community, Household, ImportJob, Person, Station

if TYPE_CHECKING:
    from hukou.policy import Actor

# Column names of the import file; legacy exports often carry the Chinese headers instead.
COLUMNS = {
    "household_number": "户号",
    "household_kind": "户别",
    "community": "社区",
    "road": "街路巷",
    "house_number": "门牌号",
    "building": "栋",
    "unit": "单元",
    "room": "室",
    "relationship": "与户主关系",
    "name": "姓名",
    "id_number": "公民身份号码",
    "sex": "性别",
    "birth_date": "出生日期",
    "ethnicity": "民族",
    "native_place": "籍贯",
    "registered_on": "迁入日期",
    "mobile": "手机号码",
}
REQUIRED = ("household_number", "community", "road", "house_number", "relationship", "name", "id_number")
_HEADERS = {**{key: key for key in COLUMNS}, **{chinese: key for key, chinese in COLUMNS.items()}}
_RELATIONSHIPS = {**{c.value: c.value for c in Relationship}, **{c.label: c.value for c in Relationship}}
_ETHNICITIES = {**{code: code for code, _name in ETHNICITIES}, **{name: code for code, name in ETHNICITIES}}
_SEXES = {"M": "M", "F": "F", "男": "M", "女": "F", "1": "M", "2": "F"}
_KINDS = {"": "family", "family": "family", "collective": "collective", "家庭户": "family", "集体户": "collective"}
BATCH = 5000
PROGRESS_EVERY = 10000


class RowError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


@dataclass
class ImportResult:
    total_rows: int = 0
    imported_rows: int = 0
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    # Where the time went (reading and checking vs writing), for the benchmark and the logs.
    check_seconds: float = 0.0
    write_seconds: float = 0.0

    def add_error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < ImportJob.MAX_REPORTED_ERRORS:
            self.errors.append({"row": row, "column": column, "message": message})


# --- Reading ------------------------------------------------------------------------------


def read_rows(path: str | Path) -> Iterator[tuple[int, dict]]:
    """(spreadsheet row number, {column: text}) for every non-empty row of a .csv or .xlsx."""
    path = Path(path)
    rows = _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    header = [_HEADERS.get(str(name or "").strip(), "") for name in next(rows, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValidationError(
            _("The file has no column %(columns)s.") % {"columns": ", ".join(missing)}, code="import_columns"
        )
    for number, values in enumerate(rows, start=2):
        row = {key: _text(value) for key, value in zip(header, values, strict=False) if key}
        if any(row.values()):
            yield number, row


def _csv_rows(path: Path) -> Iterator[list]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.reader(handle)


def _xlsx_rows(path: Path) -> Iterator[tuple]:
    from openpyxl import load_workbook

    xlsx_check_size(path)  # before openpyxl inflates anything
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        yield from workbook.active.iter_rows(values_only=True)
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def count_rows(path: str | Path) -> int:
    return sum(1 for _row in read_rows(path))


# --- Validating one row -------------------------------------------------------------------


@functools.cache
def _char_pinyin(char: str) -> str:
    return pinyin_of(char)


def _pinyin(name: str) -> str:
    """pinyin_of, one character at a time: pypinyin is the slowest step of a row, and a registry
    uses a few thousand distinct characters but hundreds of thousands of distinct names. Reads
    that depend on the neighbouring character (phrases) are rare in personal names."""
    return "".join(_char_pinyin(char) for char in name)


def _date(value: str, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)  # 2015-06-01 and 20150601, in C: the common case fast
    except ValueError:
        pass
    for pattern in ("%Y/%m/%d", "%Y.%m.%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise RowError(column, _("“%(value)s” is not a date (write it as 2015-06-01).") % {"value": value})


def _id_number(row: dict) -> tuple[str, dt.date, str]:
    try:
        number = validate_id_number(row["id_number"])
    except ValidationError as exc:
        raise RowError("id_number", exc.messages[0]) from exc
    # validate_id_number has checked the embedded date; reading it again through stdnum costs more.
    birth_date = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    if row.get("birth_date") and _date(row["birth_date"], "birth_date") != birth_date:
        raise RowError("birth_date", _("The birth date does not match the one inside the ID number."))
    try:
        validate_birth_date(birth_date)
    except ValidationError as exc:
        raise RowError("id_number", exc.messages[0]) from exc
    sex = _SEXES.get(row.get("sex", "").upper()) if row.get("sex") else sex_of(number)
    if sex is None:
        raise RowError("sex", _("Sex must be 男 or 女."))
    if sex != sex_of(number):
        raise RowError("sex", _("The sex does not match the ID number."))
    return number, birth_date, sex


def _plain(row: dict, column: str, max_length: int) -> str:
    try:
        return validate_plain_text(row.get(column) or "", max_length=max_length)
    except ValidationError as exc:
        raise RowError(column, exc.messages[0]) from exc


def _person(row: dict, *, today: dt.date) -> dict:
    """The person columns of one row, or RowError saying what is wrong with it."""
    for column in REQUIRED:
        if not row.get(column):
            raise RowError(column, _("%(column)s is required.") % {"column": COLUMNS[column]})
    number, birth_date, sex = _id_number(row)
    relationship = _RELATIONSHIPS.get(row["relationship"])
    if relationship is None:
        raise RowError(
            "relationship", _("Unknown relationship to the head: %(value)s.") % {"value": row["relationship"]}
        )
    ethnicity = _ETHNICITIES.get(row.get("ethnicity") or "01")
    if ethnicity is None:
        raise RowError("ethnicity", _("Unknown ethnicity: %(value)s.") % {"value": row["ethnicity"]})
    registered = _date(row["registered_on"], "registered_on") if row.get("registered_on") else today
    mobile = _checked(validate_mobile, row["mobile"], "mobile") if row.get("mobile") else ""
    # refuses formula-like (=, +, -, @), invisible and bidi-override characters, emoji
    name = _checked(validate_person_name, row["name"], "name")
    return {
        "id_number": number,
        "name": name,
        "name_pinyin": _pinyin(name),
        "sex": sex,
        "birth_date": birth_date,
        "ethnicity": ethnicity,
        "native_place": _plain(row, "native_place", 64),
        # The person's own mobile number: lets a parent account with it bind without a visit.
        "mobile": mobile,
        "relationship": relationship,
        "registered_at_address_on": registered,
    }


def _checked(validator, value, column: str):
    """A shared validator of common.validators, its refusal as this row's error."""
    try:
        return validator(value)
    except ValidationError as exc:
        raise RowError(column, exc.messages[0]) from exc


def _ascii_digit(char: str) -> bool:
    return "0" <= char <= "9"


def _place(row: dict, communities: dict[str, int]) -> tuple:
    """The address key (community id, road, number, suffix, building, unit, room) of a row."""
    community_id = communities.get(row["community"])
    if community_id is None:
        raise RowError("community", _("The community %(name)s is not in this station.") % {"name": row["community"]})
    digits = "".join(itertools.takewhile(_ascii_digit, row["house_number"]))
    if not digits:
        raise RowError("house_number", _("The house number must start with digits."))
    suffix = row["house_number"][len(digits) :].removesuffix("号")[:8]
    return (community_id, row["road"][:64], int(digits), suffix, row.get("building", "")[:16],
            row.get("unit", "")[:16], row.get("room", "")[:16])  # fmt: skip


# --- Validating the whole file ------------------------------------------------------------


@dataclass
class _Household:
    number: str
    kind: str
    place: tuple
    first_row: int
    persons: list[dict] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    failed: bool = False


def _validate(rows: Iterable[tuple[int, dict]], station: Station, result: ImportResult, progress) -> dict:
    """Check every row on its own, then per household and against the database.
    Returns the households (valid or not) keyed by number; errors go into ``result``."""
    communities = dict(Community.objects.filter(station=station).values_list("name", "pk"))
    today, households, seen = timezone.localdate(), {}, {}
    for count, (number, row) in enumerate(rows, start=1):
        key = row.get("household_number", "")
        household = households.get(key)
        try:
            person = _person(row, today=today)
            place = _place(row, communities)
            kind = _KINDS.get(row.get("household_kind", ""))
            if kind is None:
                raise RowError("household_kind", _("Household kind must be 家庭户 or 集体户."))
            if person["id_number"] in seen:
                raise RowError(
                    "id_number",
                    _("This ID number already appears in row %(row)s.") % {"row": seen[person["id_number"]]},
                )
            seen[person["id_number"]] = number
            if household is None:
                household = households[key] = _Household(key, kind, place, number)
            elif not household.place:  # its earlier rows all failed; this is the first usable one
                household.place, household.kind = place, kind
            elif household.place != place:
                raise RowError(
                    "road",
                    _("The address differs from row %(row)s of the same household.") % {"row": household.first_row},
                )
            household.persons.append(person)
            household.rows.append(number)
        except RowError as error:
            result.add_error(number, error.column, error.message)
            if household is None:
                household = households[key] = _Household(key, "family", (), number)
            household.failed = True
        if count % PROGRESS_EVERY == 0:
            progress(count)
    _check_households(households, result)
    _check_database(households, station, result)
    return households


def _check_households(households: dict[str, _Household], result: ImportResult) -> None:
    head = Relationship.HEAD.value
    for household in households.values():
        heads = sum(1 for person in household.persons if person["relationship"] == head)
        if household.persons and heads != 1 and not household.failed:
            message = _("Household %(number)s must have exactly one head (户主); the file gives it %(count)s.")
            result.add_error(
                household.first_row, "relationship", message % {"number": household.number, "count": heads}
            )
            household.failed = True


def _chunks(items: Iterable, size: int = BATCH) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _check_database(households: dict[str, _Household], station: Station, result: ImportResult) -> None:
    """Household numbers already registered and ID numbers already active, in batches."""
    by_id = {p["id_number"]: (h, row) for h in households.values() for p, row in zip(h.persons, h.rows, strict=True)}
    for chunk in _chunks(list(households)):
        for number in Household.objects.filter(number__in=chunk).values_list("number", flat=True):
            household = households[number]
            result.add_error(
                household.first_row,
                "household_number",
                _("Household number %(number)s is already registered.") % {"number": number},
            )
            household.failed = True
    for chunk in _chunks(list(by_id)):
        for number in Person.objects.active().filter(id_number__in=chunk).values_list("id_number", flat=True):
            household, row = by_id[number]
            result.add_error(row, "id_number", _("A person with this ID number is already registered and active."))
            household.failed = True
    result.errors.sort(key=lambda error: error["row"])


def _note_skipped(households: dict[str, _Household], result: ImportResult) -> None:
    """Valid rows of a household that will not be written (another of its rows failed), so a
    partial import's report accounts for every row that did not go in."""
    message = _("Not imported: another row of household %(number)s is invalid.")
    failed_rows = {error["row"] for error in result.errors}
    for household in households.values():
        if household.failed:
            for row in household.rows:
                if row not in failed_rows:
                    result.add_error(row, "household_number", message % {"number": household.number})
    result.errors.sort(key=lambda error: error["row"])


# --- Writing ------------------------------------------------------------------------------


def _reserve_ids(model, count: int) -> list[int]:
    """Ids for ``count`` new rows, taken from the table's sequence (PostgreSQL) so concurrent
    inserts by the registry services cannot collide with them."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: one writer at a time, and we are inside the write transaction.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - our own table name
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def _columns(model) -> set[str]:
    return {f.column for f in model._meta.concrete_fields if not (f.primary_key and f.name == "history_id")}


def _insert(model, rows: list[dict], constants: dict) -> None:
    """Insert ``rows`` (dicts that all have the same keys) into ``model``'s table, every row
    completed by ``constants``: COPY on PostgreSQL, bulk_create in batches elsewhere.
    The rows' own columns are picked with one C-level itemgetter; constants are appended as a
    ready tuple, so a row costs no per-column Python work."""
    if not rows:
        return
    varying = list(rows[0])
    columns = varying + list(constants)
    if set(columns) != _columns(model):  # a model gained a column the import does not fill
        raise RuntimeError(
            f"import columns of {model._meta.db_table} are out of date: {set(columns) ^ _columns(model)}"
        )
    pick, tail = operator.itemgetter(*varying), tuple(constants.values())
    if connection.vendor == "postgresql":
        sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(pick(row) + tail)
        return
    attnames = [{f.column: f.attname for f in model._meta.concrete_fields}[c] for c in columns]
    for chunk in _chunks(rows):
        model.objects.bulk_create([model(**dict(zip(attnames, pick(row) + tail, strict=True))) for row in chunk])


def _addresses(households: list[_Household]) -> tuple[dict[tuple, int], list[dict]]:
    """Ids of the addresses the households need, creating rows for the missing ones."""
    community_ids = {h.place[0] for h in households}
    fields = ("community_id", "road", "number", "number_suffix", "building", "unit", "room")
    known = {
        tuple(values[:-1]): values[-1]
        for values in Address.objects.filter(community_id__in=community_ids).values_list(*fields, "pk")
    }
    missing = sorted({h.place for h in households} - known.keys())
    new_rows = [
        dict(zip(fields, place, strict=True)) | {"id": pk}
        for place, pk in zip(missing, _reserve_ids(Address, len(missing)), strict=True)
    ]
    known.update({place: row["id"] for place, row in zip(missing, new_rows, strict=True)})
    return known, new_rows


def _write(households: list[_Household], *, station: Station, user_id, reason: str) -> int:
    now = timezone.now()
    history = {"history_date": now, "history_change_reason": reason, "history_type": "+", "history_user_id": user_id}
    places, address_rows = _addresses(households)
    household_rows, person_rows = [], []
    household_ids = _reserve_ids(Household, len(households))
    person_ids = iter(_reserve_ids(Person, sum(len(h.persons) for h in households)))
    for household, pk in zip(households, household_ids, strict=True):
        address_id = places[household.place]
        household_rows.append({"id": pk, "number": household.number, "kind": household.kind, "address_id": address_id})
        for person in household.persons:
            person["id"], person["household_id"] = next(person_ids), pk
            person_rows.append(person)
    stamps = {"created_at": now, "updated_at": now, "version": 1, "status": "active"}
    for model, rows, constants in (
        (Address, address_rows, {}),
        (Household, household_rows, {**stamps, "station_id": station.pk}),
        (Person, person_rows, {**stamps, **_PERSON_DEFAULTS}),
    ):
        _insert(model, rows, constants)
        _insert(model.history.model, rows, constants | history)
    return len(person_rows)


_PERSON_DEFAULTS = {
    "former_names": "",
    "father_id": None,
    "mother_id": None,
    "moved_to": "",
}


# --- The service --------------------------------------------------------------------------


def registry_import(
    *,
    path: str | Path,
    station: Station,
    actor: Actor | None = None,
    partial: bool = False,
    reason: str = "",
    progress: Callable[[int], None] = lambda count: None,
    total: Callable[[int], None] = lambda count: None,
    writing: Callable[[], None] = lambda: None,
) -> ImportResult:
    """Validate every row of the file at ``path``, then write all of it in one transaction
    (or, with ``partial``, every household whose rows are all valid). Returns the counts and
    the row-by-row error report; raises ``ValidationError`` if the file cannot be read at all.
    ``progress(rows_checked)`` and ``total(rows)`` report progress outside the transaction."""
    result, started = ImportResult(), time.perf_counter()
    with translation.override(settings.LANGUAGE_CODE):
        result.total_rows = count_rows(path)  # a cheap first pass, so progress has a total
        total(result.total_rows)
        households = _validate(read_rows(path), station, result, progress)
    good = [h for h in households.values() if not h.failed and h.persons]
    if partial:
        with translation.override(settings.LANGUAGE_CODE):
            _note_skipped(households, result)
    result.check_seconds = time.perf_counter() - started
    if result.error_count and not partial:
        return result
    progress(result.total_rows)
    writing()
    with transaction.atomic():
        result.imported_rows = _write(
            good, station=station, user_id=getattr(actor, "pk", None), reason=reason or "批量导入"
        )
    result.write_seconds = time.perf_counter() - started - result.check_seconds
    return result


def import_job_create(*, station: Station, actor: Actor, file, partial: bool = False) -> ImportJob:
    """Store the upload as a pending job and kick the worker once the row is committed.
    The job row is the durable record: a kick lost with Redis down is logged, not raised (the
    upload still succeeds), and ``import_jobs_sweep`` runs the job later."""
    from hukou.tasks import import_job_run_task

    job = ImportJob.objects.create(
        station=station, created_by=actor, file=file, original_name=file.name[:255], partial=partial
    )
    transaction.on_commit(lambda: import_job_run_task.delay(job.pk), robust=True)
    return job


def import_jobs_sweep(*, older_than: dt.timedelta = dt.timedelta(minutes=2)) -> list[int]:
    """Run the jobs still pending some time after their upload (their kick was lost). Safe to run
    any number of times, also beside a worker: ``import_job_run`` claims each job atomically."""
    cutoff = timezone.now() - older_than
    pending = list(
        ImportJob.objects.filter(status=ImportJob.Status.PENDING, created_at__lt=cutoff).values_list("pk", flat=True)
    )
    return [job_id for job_id in pending if import_job_run(job_id=job_id) is not None]


def import_job_run(*, job_id: int, path: str | Path | None = None) -> ImportJob | None:
    """Run a pending job once: claims it atomically (a second worker finds it taken and does
    nothing), tolerates the row having gone, and records the outcome on the row. Progress is
    written outside the import transaction so the uploader's screen can see it."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.VALIDATING
    ):
        return None
    job = ImportJob.objects.select_related("station", "created_by").get(pk=job_id)
    jobs = ImportJob.objects.filter(pk=job_id)
    try:
        result = registry_import(
            path=path or job.file.path,
            station=job.station,
            actor=job.created_by,
            partial=job.partial,
            reason=f"批量导入（任务 #{job.pk}，{job.original_name}）"[:100],
            total=lambda count: jobs.update(total_rows=count),
            progress=lambda count: jobs.update(processed_rows=count),
            writing=lambda: jobs.update(status=ImportJob.Status.WRITING),
        )
    except ValidationError as exc:
        jobs.update(status=ImportJob.Status.FAILED, errors=[{"row": 1, "column": "", "message": exc.messages[0]}],
                    error_count=1, finished_at=timezone.now())  # fmt: skip
        return jobs.first()
    except Exception as exc:  # a bug or a refused constraint: the write rolled back; say so on the job
        jobs.update(status=ImportJob.Status.FAILED, errors=[{"row": 0, "column": "", "message": str(exc)[:500]}],
                    finished_at=timezone.now())  # fmt: skip
        raise
    rejected = result.error_count and not job.partial
    jobs.update(
        status=ImportJob.Status.REJECTED if rejected else ImportJob.Status.DONE,
        processed_rows=result.total_rows,
        imported_rows=result.imported_rows,
        error_count=result.error_count,
        errors=result.errors,
        finished_at=timezone.now(),
    )
    return jobs.first()
