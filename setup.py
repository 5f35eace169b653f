"""Build glue: install the design card's root folders under the import root ``portside``."""

from setuptools import find_packages, setup

# Each root folder of the repository becomes ``portside.<folder>``; ``portside`` itself is a
# namespace package, so nothing in a checkout can shadow the installed distribution.
ROOTS = ("core", "adapters", "channels", "entrypoints", "testing")

packages: list[str] = []
package_dir: dict[str, str] = {}
for root in ROOTS:
    for found in find_packages(where=".", include=[root, f"{root}.*"]):
        packages.append(f"portside.{found}")
    package_dir[f"portside.{root}"] = root

setup(
    packages=packages,
    package_dir=package_dir,
    package_data={"": ["*.sql", "*.json", "*.csv", "*.xml", "py.typed"]},
)
