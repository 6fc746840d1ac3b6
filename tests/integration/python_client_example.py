#!/usr/bin/python3
"""Call the Wetlink API from Python.

Generate the client stubs once (Debian 12: apt install protobuf-compiler
protobuf-compiler-grpc python3-grpcio python3-protobuf):

    mkdir -p gen
    protoc -I proto --python_out=gen --grpc_out=gen \
        --plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin proto/wetlink/v1/*.proto

then, with wetlinkd running and your access token in a file:

    WETLINK_TOKEN_FILE=var/wetlink/admin.token \
        PYTHONPATH=gen /usr/bin/python3 python_client_example.py 127.0.0.1:50051
"""

import os
import sys

import grpc

from wetlink.v1 import catalog_pb2, catalog_pb2_grpc


def main(address: str) -> int:
    # Every call carries the token as "authorization: Bearer <token>".
    with open(os.environ["WETLINK_TOKEN_FILE"], encoding="utf-8") as token_file:
        auth = (("authorization", "Bearer " + token_file.read().strip()),)
    with grpc.insecure_channel(address) as channel:
        catalog = catalog_pb2_grpc.CatalogServiceStub(channel)

        # Sites of the Dauria International Protected Area (RU/MN/CN).
        dipa = catalog.ListSites(catalog_pb2.ListSitesRequest(complex_id="dipa"), timeout=10, metadata=auth)
        for site in dipa.sites:
            print(f"{site.id:10} {site.country}  {site.names['en']}")

        # One site, with its boundary (WGS84 lat/lng rings).
        rason = catalog.GetSite(catalog_pb2.GetSiteRequest(id="rason"), timeout=10, metadata=auth)
        print(f"{rason.id}: {rason.stated_area_ha} ha stated, "
              f"{rason.geometry_area_ha:.0f} ha mapped in {len(rason.geometry.polygons)} polygon(s), "
              f"centre {rason.centre.lat:.3f}, {rason.centre.lng:.3f}")

        # A species by code or id, with its 1 % threshold.
        crane = catalog.GetSpecies(catalog_pb2.GetSpeciesRequest(id="HC"), timeout=10, metadata=auth)
        print(f"{crane.names['en']} ({crane.scientific_name}): 1 % = {crane.one_percent.value}")

        # Errors arrive as grpc.RpcError with a status code.
        try:
            catalog.GetSite(catalog_pb2.GetSiteRequest(id="atlantis"), timeout=10, metadata=auth)
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.NOT_FOUND:
                raise
            print(f"{error.code().name}: {error.details()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:50051"))
