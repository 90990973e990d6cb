"""A minimal WFS 2.0 server for tests, in its own process on 127.0.0.1 (see ``_servers.py``).

It answers GetCapabilities (advertising result paging and GeoJSON output), DescribeFeatureType
and GetFeature with STARTINDEX/COUNT paging, in GeoJSON, for points near Arnhem in RD New.
"""

from __future__ import annotations

import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

CAPABILITIES = """<?xml version="1.0" encoding="UTF-8"?>
<wfs:WFS_Capabilities version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0"
  xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:xlink="http://www.w3.org/1999/xlink"
  xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:test="http://test">
 <ows:OperationsMetadata>
  <ows:Operation name="GetCapabilities"><ows:DCP><ows:HTTP><ows:Get xlink:href="{base}/wfs?"/>
   </ows:HTTP></ows:DCP></ows:Operation>
  <ows:Operation name="DescribeFeatureType"><ows:DCP><ows:HTTP>
   <ows:Get xlink:href="{base}/wfs?"/></ows:HTTP></ows:DCP></ows:Operation>
  <ows:Operation name="GetFeature"><ows:DCP><ows:HTTP><ows:Get xlink:href="{base}/wfs?"/>
   </ows:HTTP></ows:DCP>
   <ows:Parameter name="outputFormat"><ows:AllowedValues><ows:Value>application/json</ows:Value>
   </ows:AllowedValues></ows:Parameter></ows:Operation>
  <ows:Constraint name="ImplementsResultPaging"><ows:NoValues/>
   <ows:DefaultValue>TRUE</ows:DefaultValue></ows:Constraint>
  <ows:Constraint name="CountDefault"><ows:NoValues/><ows:DefaultValue>{page}</ows:DefaultValue>
  </ows:Constraint>
 </ows:OperationsMetadata>
 <wfs:FeatureTypeList><wfs:FeatureType>
  <wfs:Name>test:kernen</wfs:Name><wfs:Title>kernen</wfs:Title>
  <wfs:DefaultCRS>urn:ogc:def:crs:EPSG::28992</wfs:DefaultCRS>
  <ows:WGS84BoundingBox><ows:LowerCorner>3 50</ows:LowerCorner>
   <ows:UpperCorner>8 54</ows:UpperCorner></ows:WGS84BoundingBox>
 </wfs:FeatureType></wfs:FeatureTypeList>
</wfs:WFS_Capabilities>"""

SCHEMA = """<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:gml="http://www.opengis.net/gml/3.2"
  xmlns:test="http://test" targetNamespace="http://test" elementFormDefault="qualified">
 <xsd:import namespace="http://www.opengis.net/gml/3.2"
   schemaLocation="http://schemas.opengis.net/gml/3.2.1/gml.xsd"/>
 <xsd:complexType name="kernenType"><xsd:complexContent>
  <xsd:extension base="gml:AbstractFeatureType"><xsd:sequence>
   <xsd:element name="naam" type="xsd:string" minOccurs="0"/>
   <xsd:element name="geom" type="gml:PointPropertyType" minOccurs="0"/>
  </xsd:sequence></xsd:extension></xsd:complexContent></xsd:complexType>
 <xsd:element name="kernen" type="test:kernenType" substitutionGroup="gml:AbstractFeature"/>
</xsd:schema>"""


def features(n: int) -> list[dict]:
    return [{"type": "Feature", "id": f"kernen.{i}", "properties": {"naam": f"kern {i}"},
             "geometry": {"type": "Point", "coordinates": [190_000 + 100 * i, 444_000]}}
            for i in range(n)]


def handler(n: int, page: int, log: Path):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, body: str, ctype: str) -> None:
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            with log.open("a") as handle:
                handle.write(self.path + "\n")
            query = {k.upper(): v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
            base = f"http://{self.headers['Host']}"
            request = query.get("REQUEST", "").lower()
            if request == "getcapabilities":
                self._send(CAPABILITIES.format(base=base, page=page), "text/xml")
            elif request == "describefeaturetype":
                self._send(SCHEMA, "text/xml")
            elif request == "getfeature":
                start = int(query.get("STARTINDEX", 0))
                count = int(query.get("COUNT", query.get("MAXFEATURES", page)))
                if query.get("RESULTTYPE", "").lower() == "hits":
                    self._send(f'<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0"'
                               f' numberMatched="{n}" numberReturned="0"/>', "text/xml")
                    return
                chunk = features(n)[start:start + count]
                self._send(json.dumps({
                    "type": "FeatureCollection", "features": chunk,
                    "crs": {"type": "name",
                            "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
                    "numberMatched": n, "numberReturned": len(chunk)}),
                    "application/json")
            else:
                self.send_error(400)

    return Handler


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--features", type=int)
    parser.add_argument("--page", type=int)
    parser.add_argument("--port-file", type=Path)
    parser.add_argument("--log", type=Path)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(args.features, args.page, args.log))
    args.port_file.write_text(str(server.server_address[1]))
    server.serve_forever()
