app_name = "webinars"

urlpatterns = []
