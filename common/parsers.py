"""The API's JSON parser: DRF's, with the failures DRF lets through turned into HTTP 400."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """A body nested too deeply for Python's decoder (``[[[[…``) raises RecursionError, which
    DRF does not catch (a 500); here it is a ParseError, answered 400 in the common format."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The JSON body is nested too deeply.")) from exc
