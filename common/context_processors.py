from common.roles import Role


def navigation(request):
    """Exposes the Role choices so templates can show the right menu without string literals."""
    return {"Role": Role}
