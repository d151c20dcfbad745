"""Offline stand-in for the get-pip.py that ansible-test downloads to bootstrap pip in its venvs.

ansible-test fetches get-pip from a host outside the package index. This does the same job with
what the interpreter ships: install pip with ensurepip, then let that pip install the requested
packages (pip itself at the pinned version) from the package index.
"""

import ensurepip
import os
import runpy
import sys

GET_PIP_ONLY_OPTIONS = ("--no-setuptools", "--no-wheel")

# ensurepip points PIP_CONFIG_FILE at /dev/null for itself; the pip run after it needs the machine's config.
environment = dict(os.environ)
ensurepip.bootstrap()
os.environ.clear()
os.environ.update(environment)

# get-pip takes the packages to install as its arguments, with no "install" command.
sys.argv = [sys.argv[0], "install"] + [a for a in sys.argv[1:] if a not in GET_PIP_ONLY_OPTIONS]
runpy.run_module("pip", run_name="__main__", alter_sys=True)
