"""Reference receiver of the education system's side of the school sync (stdlib only).

``signing`` is shared by the sender; ``server`` is the receiver run by ``run_edu_receiver``.
Neither imports Django, so the education bureau can read them as a runnable specification.
"""
