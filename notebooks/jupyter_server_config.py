# Loaded by `make notebooks` (jupyter lab --config=notebooks/jupyter_server_config.py):
# notebooks are saved without outputs, so a workshop never changes the committed files.
from decide.workshop.jupyter import strip_outputs

c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file
c.ContentsManager.pre_save_hook = strip_outputs
