#!/usr/bin/python3
"""Asks every window titled like argv[1] on $DISPLAY to close, as a window manager's close
button does: a WM_DELETE_WINDOW client message (the app may then refuse or hide instead).
Tests have no window manager, and `xdotool windowclose` destroys the window outright.

Run with the system Python (python3-xlib). Prints how many windows were asked.
"""

import sys

from Xlib import X, display
from Xlib.protocol import event


def main():
    title = sys.argv[1]
    d = display.Display()
    delete = d.intern_atom("WM_DELETE_WINDOW")
    protocols = d.intern_atom("WM_PROTOCOLS")
    asked = 0
    pending = [d.screen().root]
    while pending:
        window = pending.pop()
        pending.extend(window.query_tree().children)
        try:
            name = window.get_wm_name()
            mapped = window.get_attributes().map_state == X.IsViewable
        except Exception:  # a window may vanish while we walk the tree
            continue
        if name == title and mapped:
            message = event.ClientMessage(
                window=window, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0])
            )
            window.send_event(message, event_mask=X.NoEventMask)
            asked += 1
    d.flush()
    print(asked)


if __name__ == "__main__":
    main()
