"""The ``json`` serialization format, keeping datetimes to the microsecond.

Django's JSON encoder cuts datetimes to the millisecond (ECMA-262 style), so a
backup restored and dumped again would not hold the same values. Registered as
``json`` in ``SERIALIZATION_MODULES``: ``dumpdata``, ``loaddata`` and the
backup commands use it; reading is Django's own.
"""

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import Deserializer, DjangoJSONEncoder

__all__ = ["Deserializer", "Serializer"]


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            value = o.isoformat()
            if value.endswith("+00:00"):
                value = value.removesuffix("+00:00") + "Z"
            return value
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        if self.json_kwargs["cls"] is DjangoJSONEncoder:
            self.json_kwargs["cls"] = ExactJSONEncoder
