from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import User
from common.ratelimit import LoginFailureLimit


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


class TokenObtainApi(ObtainAuthToken):
    """Exchange a user name and password for an API token that lives ``API_TOKEN_TTL_HOURS``;
    failed attempts are limited per address and per account, together with the login pages."""

    throttle_classes = [LoginFailureLimit]

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = services.api_token_obtain(user=serializer.validated_data["user"])
        return Response({"token": token.key})


class TokenRevokeApi(APIView):
    """Log the API client out: delete the caller's token (204)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.api_tokens_revoke(user=request.user)
        return Response(status=204)
