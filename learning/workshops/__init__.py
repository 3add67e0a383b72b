"""Regional training workshops and the materials their trainers upload: one room.

``permissions`` says who may do what, ``services`` changes materials and participant
lists, ``queries`` reads what pages show, ``file_types`` judges uploaded files, ``views``,
``viewsets``, ``forms``, ``urls`` and ``panels`` are the web side, ``receivers`` react to
deletions and ``demo`` builds the demo workshops. The models stay in
``learning.models.workshops`` (the migrations refer to them there).
"""
