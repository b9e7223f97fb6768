"""Start the tutor: check the lesson first (same errors as `bptui check`), then open the app."""

from __future__ import annotations

import sys


def run_tutor(args) -> int:
    from bptui import lesson as lesson_module

    lesson = lesson_module.load(args.lesson) if args.lesson else None  # LessonError → exit 2
    if lesson is not None and getattr(args, "scaffold", None):  # --scaffold: more or less help
        from dataclasses import replace

        lesson = replace(lesson, scaffold=args.scaffold)
    if (args.autoplay is not None or args.answers) and lesson is None:
        print("bptui: --autoplay and --answers need a LESSON", file=sys.stderr)
        return 2
    if args.answers and args.autoplay is None:
        print("bptui: --answers goes with --autoplay SECONDS", file=sys.stderr)
        return 2
    if args.autoplay is not None and not 0.05 <= args.autoplay <= 600:
        print("bptui: --autoplay takes a pace between 0.05 and 600 seconds", file=sys.stderr)
        return 2
    answers = None
    if args.answers:
        from bptui.answers_file import load_answers
        from bptui.replay import check_answers
        from bptui.steps import build

        answers = load_answers(args.answers)
        check_answers(lesson, build(lesson), answers)
    from bptui.tui.app import TutorApp

    app = TutorApp(lesson, restart=args.restart, autoplay=args.autoplay, answers=answers,
                   persist=args.autoplay is None,
                   scaffold=getattr(args, "scaffold", None))  # fmt: skip
    app.run()
    if app.error:
        from bptui.notation import clean

        print(f"bptui: {clean(app.error)}", file=sys.stderr)
    return app.return_code or 0
