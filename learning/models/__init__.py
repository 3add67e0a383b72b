"""Models of the shared learning core, one module per concern."""

from .accounts import Profile
from .certificates import Certificate
from .pages import HomePage
from .regions import Region, TrainerAssignment

__all__ = ["Certificate", "HomePage", "Profile", "Region", "TrainerAssignment"]
