"""Models of the household registry, one module per topic."""

from hukou.models.access import AccessLog
from hukou.models.cases import BusinessType, Case, CaseTransition
from hukou.models.certificates import Certificate, CertificatePrint, CertificateSerial
from hukou.models.events import ChangeEvent
from hukou.models.org import Address, Community, Station
from hukou.models.registry import Guardianship, Household, Person

__all__ = [
    "AccessLog",
    "Address",
    "BusinessType",
    "Case",
    "CaseTransition",
    "Certificate",
    "CertificatePrint",
    "CertificateSerial",
    "ChangeEvent",
    "Community",
    "Guardianship",
    "Household",
    "Person",
    "Station",
]
