from questions.services import question_answer, question_ask


def make_question(tree, *, text="Đảng phí năm nay đóng thế nào?", addressee="cell", may_publish=True, asker=None):
    return question_ask(actor=asker or tree.users["member_a1"], addressee=addressee, text=text, may_publish=may_publish)


def make_answered_question(tree, *, answerer="secretary_a1", **options):
    question = make_question(tree, **options)
    return question_answer(actor=tree.users[answerer], question=question, answer="Đóng hằng tháng tại chi bộ.")


def make_published_question(tree, *, answerer="secretary_a1", **options):
    from questions.services import question_publish

    question = make_answered_question(tree, answerer=answerer, **options)
    return question_publish(
        actor=tree.users[answerer],
        question=question,
        faq_question="Đảng phí đóng thế nào (câu hỏi đã xuất bản)?",
        faq_answer="Đóng hằng tháng tại chi bộ.",
    )
