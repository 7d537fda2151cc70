"""The composer: review the pre-filled notes, one tab per person, and send each once.

- :mod:`.dialog`: the window, one tab per message (:class:`ComposerDialog`).
- :mod:`.editor`: one message's text, its personal-note check and the state it
  shows (:class:`DraftEditor`); :mod:`.widgets` and :mod:`.panels` build it,
  :mod:`.highlights` marks the placeholders still to fill.
- :mod:`.sending`: Send, the password it may need, and the other ways a note
  is sent (mail app, post).
- :mod:`.printing`: the note as a printed letter or PDF.

Open a composer through :mod:`afterword.gui.mail_flow`, not directly.
"""

from afterword.gui.dialogs.composer.dialog import ComposerDialog
from afterword.gui.dialogs.composer.editor import SAVE_DELAY_MS, DraftEditor
from afterword.gui.dialogs.composer.highlights import utf16_offset

__all__ = ["SAVE_DELAY_MS", "ComposerDialog", "DraftEditor", "utf16_offset"]
