from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from common.ratelimit import ScopedRateLimit


class MeSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display")
    id_number = serializers.CharField(source="masked_id_number")

    class Meta:
        model = User
        fields = ["id", "username", "real_name", "role", "role_display", "station", "school", "mobile", "id_number"]


class MeApi(APIView):
    """Who am I: the logged-in user, their role and their station or school."""

    serializer_class = MeSerializer

    def get(self, request):
        return Response(MeSerializer(request.user).data)


class LoginRateLimit(ScopedRateLimit):
    scope = "login"


class TokenObtainApi(ObtainAuthToken):
    """Exchange a user name and password for an API token; attempts are limited per address
    and share the budget of the login page."""

    throttle_classes = [LoginRateLimit]
