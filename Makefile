# Shortcuts; ./dev.sh is the real entry point (a fresh machine may not have make).
.PHONY: run test lint ci messages
run:
	./dev.sh run
test:
	./dev.sh test
lint:
	./dev.sh lint
ci:
	bash .ci/run
messages:
	DEBUG=1 .venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=bench --ignore=tests && DEBUG=1 .venv/bin/python manage.py compilemessages --ignore=.venv
