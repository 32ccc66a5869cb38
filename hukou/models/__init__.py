"""Models of the household registry, one module per topic."""

from hukou.models.access import AccessLog
from hukou.models.cases import BusinessType, Case, CaseTransition
from hukou.models.casework import ArchivePage, IdCardApplication
from hukou.models.certificates import Certificate, CertificatePrint, CertificateSerial
from hukou.models.duplicates import DuplicateSuspect
from hukou.models.events import ChangeEvent
from hukou.models.idnumbers import IdNumberSequence, IssuedIdNumber
from hukou.models.imports import ImportJob
from hukou.models.org import Address, Community, Station
from hukou.models.registry import Guardianship, Household, Person

__all__ = [
    "AccessLog",
    "Address",
    "ArchivePage",
    "BusinessType",
    "Case",
    "CaseTransition",
    "Certificate",
    "CertificatePrint",
    "CertificateSerial",
    "ChangeEvent",
    "Community",
    "DuplicateSuspect",
    "Guardianship",
    "Household",
    "IdCardApplication",
    "IdNumberSequence",
    "ImportJob",
    "IssuedIdNumber",
    "Person",
    "Station",
]
