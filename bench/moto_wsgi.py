"""moto's S3-compatible server as a WSGI application, for ``bench/h5p_import.py`` to run
under gunicorn: moto's own development server answers HTTP/1.0 and closes the connection
after every request (a TCP connect and a new server thread per PUT), where real object
stores keep connections alive."""

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

application = DomainDispatcherApplication(create_backend_app)
