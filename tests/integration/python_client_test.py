#!/usr/bin/python3
"""Checks wetlinkd from a Python gRPC client: the catalog service, the
standard health service and server reflection (v1alpha).

Run by python_client_test.sh, which generates the stubs and starts wetlinkd:
    python_client_test.py HOST:PORT
"""

import os
import sys

import grpc
from google.protobuf import descriptor_pb2

from wetlink.v1 import catalog_pb2, catalog_pb2_grpc
import health_pb2
import health_pb2_grpc
import reflection_v1alpha_pb2 as reflection_pb2
import reflection_v1alpha_pb2_grpc as reflection_pb2_grpc

TIMEOUT = 10  # seconds, every call
AUTH = ()  # the admin token's metadata, set in main()

failures = []


def check(condition, what):
    print(("ok      " if condition else "FAILED  ") + what)
    if not condition:
        failures.append(what)


def check_catalog(channel):
    catalog = catalog_pb2_grpc.CatalogServiceStub(channel)

    dipa = catalog.ListSites(catalog_pb2.ListSitesRequest(complex_id="dipa"), timeout=TIMEOUT, metadata=AUTH)
    countries = {s.id: s.country for s in dipa.sites}
    check(countries == {"daursky": "RU", "daguur": "MN", "dalai": "CN"},
          f"ListSites(complex_id=dipa) -> {countries}")
    check(dipa.total_size == 3 and dipa.next_page_token == "", "dipa: one page of 3")

    everything = catalog.ListSites(catalog_pb2.ListSitesRequest(page_size=1000), timeout=TIMEOUT, metadata=AUTH)
    check(len(everything.sites) == 35, f"ListSites() -> {len(everything.sites)} sites")

    rason = catalog.GetSite(catalog_pb2.GetSiteRequest(id="rason"), timeout=TIMEOUT, metadata=AUTH)
    check(rason.country == "KP" and rason.complex_id == "tumen_estuary",
          f"GetSite(rason): {rason.country}, {rason.complex_id}")
    check(abs(rason.stated_area_ha - 3525.7) < 1e-9, f"rason stated area {rason.stated_area_ha}")
    check(len(rason.geometry.polygons) >= 1 and len(rason.geometry.polygons[0].rings[0].points) >= 4,
          "rason has a boundary")
    check(42.0 < rason.centre.lat < 42.6 and 130.0 < rason.centre.lng < 130.8,
          f"rason centre {rason.centre.lat}, {rason.centre.lng}")

    crane = catalog.GetSpecies(catalog_pb2.GetSpeciesRequest(id="HC"), timeout=TIMEOUT, metadata=AUTH)
    check(crane.id == "grus_monacha" and crane.scientific_name == "Grus monacha",
          f"GetSpecies(HC) -> {crane.id}")
    check(crane.one_percent.value == 190 and crane.one_percent.derived,
          f"HC 1 % threshold {crane.one_percent.value}, derived={crane.one_percent.derived}")

    for call, request in ((catalog.GetSite, catalog_pb2.GetSiteRequest(id="atlantis")),
                          (catalog.GetSpecies, catalog_pb2.GetSpeciesRequest(id="dodo"))):
        try:
            call(request, timeout=TIMEOUT, metadata=AUTH)
            check(False, f"{request.id}: expected NOT_FOUND")
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.NOT_FOUND and request.id in error.details(),
                  f"{request.id}: {error.code().name} '{error.details()}'")

    try:
        catalog.ListSites(catalog_pb2.ListSitesRequest(countries=["kp1"]), timeout=TIMEOUT, metadata=AUTH)
        check(False, "countries=[kp1]: expected INVALID_ARGUMENT")
    except grpc.RpcError as error:
        check(error.code() == grpc.StatusCode.INVALID_ARGUMENT and "countries" in error.details(),
              f"countries=[kp1]: {error.code().name} '{error.details()}'")


def check_health(channel):
    health = health_pb2_grpc.HealthStub(channel)
    for service in ("", "wetlink.v1.CatalogService"):
        # Health and reflection need no token.
        response = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=TIMEOUT)
        check(response.status == health_pb2.HealthCheckResponse.SERVING,
              f"health '{service}': "
              f"{health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)}")


def check_reflection(channel):
    reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
    requests = [
        reflection_pb2.ServerReflectionRequest(list_services=""),
        reflection_pb2.ServerReflectionRequest(file_containing_symbol="wetlink.v1.CatalogService"),
        reflection_pb2.ServerReflectionRequest(file_containing_symbol="wetlink.v1.NoSuchThing"),
    ]
    responses = list(reflection.ServerReflectionInfo(iter(requests), timeout=TIMEOUT))
    check(len(responses) == 3, f"reflection: {len(responses)} responses to 3 requests")
    if len(responses) != 3:
        return

    services = {s.name for s in responses[0].list_services_response.service}
    check({"wetlink.v1.CatalogService", "grpc.health.v1.Health"} <= services,
          f"reflection lists {sorted(services)}")

    files = {}
    for blob in responses[1].file_descriptor_response.file_descriptor_proto:
        file = descriptor_pb2.FileDescriptorProto.FromString(blob)
        files[file.name] = file
    check("wetlink/v1/catalog.proto" in files, f"file for CatalogService: {sorted(files)}")
    if "wetlink/v1/catalog.proto" in files:
        file = files["wetlink/v1/catalog.proto"]
        check(file.package == "wetlink.v1", f"package {file.package}")
        methods = {m.name for s in file.service if s.name == "CatalogService" for m in s.method}
        check({"ListSites", "GetSite", "ImportSites", "ExportSites", "GetSpecies"} <= methods,
              f"CatalogService methods {sorted(methods)}")

    check(responses[2].WhichOneof("message_response") == "error_response"
          and responses[2].error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0],
          f"unknown symbol: error {responses[2].error_response.error_code}")


def check_token_required(channel):
    catalog = catalog_pb2_grpc.CatalogServiceStub(channel)
    try:
        catalog.ListSites(catalog_pb2.ListSitesRequest(), timeout=TIMEOUT)
        check(False, "ListSites without a token is refused")
    except grpc.RpcError as error:
        check(error.code() == grpc.StatusCode.UNAUTHENTICATED,
              f"ListSites without a token -> {error.code().name}: {error.details()}")


def main(address):
    global AUTH
    with open(os.environ["WETLINK_TOKEN_FILE"], encoding="utf-8") as token_file:
        AUTH = (("authorization", "Bearer " + token_file.read().strip()),)
    with grpc.insecure_channel(address) as channel:
        grpc.channel_ready_future(channel).result(timeout=TIMEOUT)
        check_token_required(channel)
        check_catalog(channel)
        check_health(channel)
        check_reflection(channel)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
