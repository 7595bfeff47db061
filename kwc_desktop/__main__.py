"""`python -m kwc_desktop` — the same as the `kwc-desktop` command (and the frozen app's entry point).
With one hidden option it is instead the second process that reads half of a big call log
(services/charges.py starts it)."""

import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["--read-call-log-part"]:
        from kwc_desktop.services.charges import serve_part

        sys.exit(serve_part(sys.argv[2:]))
    from kwc_desktop.start import main

    sys.exit(main())
