"""Use cases: one plain async function a module, each taking a unit of work and ports."""
