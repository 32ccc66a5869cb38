from rest_framework import serializers

from hukou.models import Household, Station


class StationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Station
        fields = ["id", "code", "name", "district", "address", "phone"]


class HouseholdListSerializer(serializers.ModelSerializer):
    address = serializers.CharField(source="address.full_text")
    member_count = serializers.IntegerField()

    class Meta:
        model = Household
        fields = ["id", "number", "kind", "status", "address", "station", "member_count", "version"]
