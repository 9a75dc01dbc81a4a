"""Service images of a generated stack.

Every compute that runs the repository's own code takes its image from a Terraform variable
named ``<label>_image`` or ``<label>_image_uri``. When a stack declares one, it also gets a
private registry (``templates/terraform/<cloud>/_images.j2``, file ``images.tf``, output
``image_repository``), pull rights for each pulling identity, and a CD workflow that builds
``infra/docker/Dockerfile`` once per commit, pushes it tagged with the commit SHA and passes
it to every image variable (``templates/ci/cd.yml.j2``). The ``image_delivery`` gate
(validate/images.py) checks both halves.
"""

from __future__ import annotations

import re

IMAGES_FILE = "images.tf"
#: Terraform address of the registry the CD workflow creates first (a targeted apply).
REGISTRY = {"aws": "aws_ecr_repository.images",
            "gcp": "google_artifact_registry_repository.images",
            "azure": "azurerm_container_registry.images"}
_IMAGE_VARIABLE = re.compile(r'^variable "(\w+?_image(?:_uri)?)" \{', re.MULTILINE)


def image_variables(hcl: str) -> list[str]:
    """Names of the image variables declared in ``hcl``, in file order."""
    return list(dict.fromkeys(_IMAGE_VARIABLE.findall(hcl)))
