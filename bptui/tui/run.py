"""Start the tutor: check the lesson first (same errors as `bptui check`), then open the app."""

from __future__ import annotations

import sys


def run_tutor(args) -> int:
    from bptui import lesson as lesson_module

    lesson = lesson_module.load(args.lesson) if args.lesson else None  # LessonError → exit 2
    answers = None
    if args.answers:
        from bptui.answers_file import load_answers

        answers = load_answers(args.answers)
    if args.autoplay is not None and lesson is None:
        print("bptui: --autoplay needs a LESSON", file=sys.stderr)
        return 2
    from bptui.tui.app import TutorApp

    app = TutorApp(lesson, restart=args.restart, autoplay=args.autoplay, answers=answers)
    app.run()
    return app.return_code or 0
