"""Private DNS zones of an Azure stack: one zone + VNet link per zone its private endpoints use.

The private-endpoint macro (templates/terraform/azure/_private_endpoint.j2) names the zones of
its subresource as ``azurerm_private_dns_zone.privatelink_<zone with dots as _>``; this renders
each referenced zone once, linked to the stack's VNet (network.tf).
"""

from __future__ import annotations

import re

_ZONE_REF = re.compile(r"azurerm_private_dns_zone\.(privatelink_[a-z0-9_]+)\.id")


def _zone(label: str) -> str:
    name = label.replace("_", ".")
    link = name.removeprefix("privatelink.").replace(".", "-")
    return (f'resource "azurerm_private_dns_zone" "{label}" {{\n'
            f'  name                = "{name}"\n'
            f"  resource_group_name = azurerm_resource_group.main.name\n"
            f"  tags                = local.tags\n}}\n\n"
            f'resource "azurerm_private_dns_zone_virtual_network_link" "{label}" {{\n'
            f'  name                  = "{link}"\n'
            f"  resource_group_name   = azurerm_resource_group.main.name\n"
            f"  private_dns_zone_name = azurerm_private_dns_zone.{label}.name\n"
            f"  virtual_network_id    = azurerm_virtual_network.main.id\n"
            f"  registration_enabled  = false\n"
            f"  tags                  = local.tags\n}}\n")


def private_dns_zones(hcl: str) -> str:
    """HCL of every private DNS zone (and its VNet link) that ``hcl`` refers to."""
    labels = sorted(set(_ZONE_REF.findall(hcl)))
    if not labels:
        return ""
    header = "# Private DNS: the services' names resolve to their private endpoints inside the VNet.\n"
    return header + "\n".join(_zone(label) for label in labels)
