"""Domain events, so one domain can react to another without importing it.
Senders call `event.send(sender_object, **facts)` inside the request's transaction; receivers
do their work in the same transaction (flush, never commit), so both land or neither does."""
from blinker import Namespace

_events = Namespace()

#: a person completed every lesson of a course version. kwargs: person, course
course_completed = _events.signal("course-completed")
#: an exam attempt's result became final (all parts graded), or a regrade changed a final result.
#: kwargs: attempt (person_id, exam, score, passed), regraded (True for a change to a final result)
attempt_finalised = _events.signal("attempt-finalised")
#: a learning-plan enrolment completed its last stage. kwargs: enrolment
plan_completed = _events.signal("plan-completed")
#: an external qualification's evidence was verified. kwargs: qualification
qualification_verified = _events.signal("qualification-verified")
#: a certificate was issued. kwargs: certificate
certificate_issued = _events.signal("certificate-issued")
