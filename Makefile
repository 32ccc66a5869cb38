# Shortcuts; ./dev.sh is the real entry point (a fresh machine may not have make).
.PHONY: run test lint ci messages messages-appointments
run:
	./dev.sh run
test:
	./dev.sh test
lint:
	./dev.sh lint
ci:
	bash .ci/run
messages:
	DEBUG=1 .venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=bench --ignore=tests --ignore=appointments --ignore=templates/appointments && DEBUG=1 .venv/bin/python manage.py compilemessages --ignore=.venv

# appointments keeps its own catalogue (appointments/locale), including templates/appointments
# (reached through a temporary symlink; LOCALE_PATHS emptied so nothing lands in locale/).
messages-appointments:
	cd appointments && ln -sfn ../templates/appointments _templates && \
	  PYTHONPATH=.. DJANGO_SETTINGS_MODULE=config.settings ../.venv/bin/python -P -c "import django; from django.conf import settings; settings.LOCALE_PATHS = []; django.setup(); from django.core.management import call_command; call_command('makemessages', locale=['zh_Hans'], symlinks=True, ignore_patterns=['locale'])"; \
	  rm -f _templates; PYTHONPATH=.. ../.venv/bin/python -P ../manage.py compilemessages --ignore=../locale
