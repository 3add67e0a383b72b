"""The learner's H5P results on "My learning"."""

from learning.models import ActivityProgress
from learning.panels import Panel


class ActivityResultsPanel(Panel):
    order = 400
    template_name = "learning/panels/h5p_results.html"
    limit = 20

    def is_shown(self):
        return self.request.user.is_authenticated

    def get_context_data(self):
        results = list(
            ActivityProgress.objects.filter(user=self.request.user)
            .select_related("content", "page")
            .order_by("-updated_at")[: self.limit]
        )
        return {"results": results}
