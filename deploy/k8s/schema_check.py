#!/usr/bin/python3
"""Offline schema check of rendered Kubernetes manifests (kubectl kustomize … | schema_check.py).

Uses the model classes of Debian's python3-kubernetes, which are generated from the Kubernetes OpenAPI
specification: every field name is checked against its object's schema (a misspelled or misplaced field
is an error, as `kubectl apply --validate=strict` would report), required fields must be present
(the models refuse None for them), and lists and maps must be lists and maps. Scalars are checked
loosely (quantities such as `nvidia.com/gpu: 1` may be numbers). Exit status 1 with one line per problem.
"""
import re
import sys

import yaml
from kubernetes import client
from kubernetes.client import models

PRIMITIVES = {"str", "int", "bool", "float", "object", "datetime", "date"}


def model_name(doc):
    api_version, kind = doc.get("apiVersion", ""), doc.get("kind", "")
    version = api_version.split("/")[-1]
    return version[:1].upper() + version[1:] + kind if version and kind else None


def check(value, type_name, path, problems):
    if value is None:
        return
    inner = re.fullmatch(r"list\[(.+)\]", type_name)
    if inner:
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list, got {type(value).__name__}")
            return
        for i, item in enumerate(value):
            check(item, inner.group(1), f"{path}[{i}]", problems)
        return
    inner = re.fullmatch(r"dict\((\w+), (.+)\)", type_name)
    if inner:
        if not isinstance(value, dict):
            problems.append(f"{path}: expected a map, got {type(value).__name__}")
            return
        for key, item in value.items():
            check(item, inner.group(2), f"{path}.{key}", problems)
        return
    if type_name in PRIMITIVES:
        if type_name != "object" and isinstance(value, (dict, list)):
            problems.append(f"{path}: expected a {type_name}, got a {type(value).__name__}")
        return
    cls = getattr(models, type_name, None)
    if cls is None:
        problems.append(f"{path}: no schema {type_name} in python3-kubernetes")
        return
    if not isinstance(value, dict):
        problems.append(f"{path}: expected an object ({type_name}), got {type(value).__name__}")
        return
    by_json = {json: attr for attr, json in cls.attribute_map.items()}
    for key, item in value.items():
        if key not in by_json:
            problems.append(f"{path}.{key}: unknown field of {type_name} (known: {', '.join(sorted(by_json))})")
            continue
        check(item, cls.openapi_types[by_json[key]], f"{path}.{key}", problems)


def main():
    docs = [d for d in yaml.safe_load_all(sys.stdin) if d]
    problems = []
    api = client.ApiClient()
    for doc in docs:
        where = f"{doc.get('kind', '?')}/{(doc.get('metadata') or {}).get('name', '?')}"
        name = model_name(doc)
        if not name or getattr(models, name, None) is None:
            problems.append(f"{where}: unknown apiVersion/kind {doc.get('apiVersion')}/{doc.get('kind')}")
            continue
        before = len(problems)
        check(doc, name, where, problems)
        if len(problems) == before:
            try:  # the generated constructors refuse a missing required field
                api._ApiClient__deserialize(doc, name)
            except ValueError as e:
                problems.append(f"{where}: {e}")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"schema_check: {len(docs)} objects, {len(problems)} problems", file=sys.stderr)
    return 1 if problems or not docs else 0


if __name__ == "__main__":
    sys.exit(main())
