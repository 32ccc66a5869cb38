"""The registry API under /api/v1/: one view class per operation (by topic), serializers, urls."""
