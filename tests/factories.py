"""factory_boy factories for every model the tests touch."""

from __future__ import annotations

import factory
from django.utils import timezone
from rest_framework.test import APIClient

from snagdesk_server.accounts.models import Client, Contact, Role, User
from snagdesk_server.accounts.services import api_token_create
from snagdesk_server.core.permissions import all_codes
from snagdesk_server.core.services import sequence_next
from snagdesk_server.projects.models import Project
from snagdesk_server.tickets.models import Department, Reply, Ticket

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    name = factory.Sequence(lambda n: f"Role {n}")
    permissions = factory.LazyFunction(list)


class StaffFactory(UserFactory):
    """A staff member holding every module permission through a role."""

    is_staff = True
    role = factory.SubFactory(RoleFactory, permissions=factory.LazyFunction(all_codes))


class AdminFactory(UserFactory):
    is_staff = True
    is_superuser = True


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Client {n} Ltd")
    website = factory.Sequence(lambda n: f"https://client{n}.example")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"contact{n}@client.example")


class PortalContactFactory(ContactFactory):
    """A contact with a portal login (``PASSWORD``)."""

    user = factory.SubFactory(
        UserFactory,
        email=factory.SelfAttribute("..email"),
        full_name=factory.LazyAttribute(lambda u: u.factory_parent.first_name),
    )


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    client = factory.SubFactory(ClientFactory)
    name = factory.Sequence(lambda n: f"Project {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")


class TicketFactory(factory.django.DjangoModelFactory):
    """A ticket written straight to the database; tests of behaviour use the services."""

    class Meta:
        model = Ticket

    number = factory.Sequence(lambda n: 100_000 + n)
    subject = factory.Sequence(lambda n: f"Problem number {n}")
    message = "Something is broken."
    status = Ticket.Status.OPEN
    contact = factory.SubFactory(ContactFactory)
    client = factory.SelfAttribute("contact.client")
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)
    closed_at = factory.LazyAttribute(lambda t: t.updated_at if t.status == "closed" else None)


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reply

    ticket = factory.SubFactory(TicketFactory)
    author = factory.SubFactory(StaffFactory)
    author_name = factory.LazyAttribute(lambda r: str(r.author))
    message = "We are looking into it."
    created_at = factory.LazyFunction(timezone.now)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tickets.Tag"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag{n}")


def staff_with_permissions(*codes: str) -> User:
    """A staff member whose role grants exactly ``codes``, e.g. ``"clients.view"``."""
    return UserFactory(is_staff=True, role=RoleFactory(permissions=list(codes)))


class WidgetTokenFactory(factory.django.DjangoModelFactory):
    """A widget token written straight to the database, allowed on https://client.example."""

    class Meta:
        model = "website_support.WidgetToken"

    key = factory.Sequence(lambda n: f"wt_test{n:020d}")
    name = factory.Sequence(lambda n: f"Site {n}")
    project = factory.SubFactory(ProjectFactory)
    allowed_origins = factory.LazyFunction(lambda: ["https://client.example"])
    created_at = factory.LazyFunction(timezone.now)


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A widget submission accepted under a reserved number, not filed yet."""

    class Meta:
        model = "website_support.Submission"

    token = factory.SubFactory(WidgetTokenFactory)
    number = factory.LazyFunction(lambda: sequence_next(name="ticket"))
    fingerprint = "0" * 64
    submitter_name = "Ada Visitor"
    submitter_email = "ada@visitor.example"
    subject = "Checkout is blank"
    message = "The pay button does nothing."
    origin = "https://client.example"
    created_at = factory.LazyFunction(timezone.now)


def token_client(user: User) -> APIClient:
    """An API client signed in with a new personal API token of ``user``."""
    client = APIClient()
    key = api_token_create(user=user, name="tests").key
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client
