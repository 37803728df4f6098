// Validates every Kubernetes object of a YAML stream (stdin) against its API schema, offline, with the JSON schemas
// of npm's kubernetes-models: wrong types, missing required fields and unknown kinds fail; unknown field names are
// not caught by these schemas (DeployManifestsTest checks the fields that matter). Exit status 1 when any is invalid.
//   kubectl kustomize deploy/k8s/overlays/prod | node deploy/validate/validate.mjs
import YAML from "yaml";
import fs from "fs";

const objects = YAML.parseAllDocuments(fs.readFileSync(0, "utf8")).map((doc) => doc.toJS()).filter(Boolean);
let invalid = 0;
for (const object of objects) {
  const name = `${object.kind} ${object.metadata?.name}`;
  let Model;
  try {
    Model = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`))[object.kind];
  } catch (e) {
    console.log(`${name}: no schema for ${object.apiVersion} ${object.kind}`);
    invalid++;
    continue;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    console.log(`${name}: ${e.message}`);
    invalid++;
  }
}
console.log(`${objects.length} objects, ${invalid} invalid`);
process.exit(invalid ? 1 : 0);
