#!/usr/bin/env python
"""Same as the ``accdesk`` command; kept for Django habits."""

from accdesk.__main__ import main

if __name__ == "__main__":
    main()
