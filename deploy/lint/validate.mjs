// Validates Kubernetes manifests offline against the API schemas shipped in the npm package
// kubernetes-models (generated from Kubernetes' OpenAPI spec): every document of every file given,
// by its apiVersion and kind. Unknown fields, wrong types and missing required fields fail.
//   node validate.mjs FILE.yaml ...      (deploy/lint.sh installs the packages and runs it)
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

let failures = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    const object = doc.toJS();
    if (!object) continue;
    const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : [null, object.apiVersion];
    const module = `kubernetes-models/${group ? group + "/" : ""}${version}/${object.kind}`;
    try {
      const { [object.kind]: Model } = await import(module);
      new Model(object).validate();
      console.log(`ok   ${file}: ${object.apiVersion} ${object.kind} ${object.metadata?.name ?? ""}`);
    } catch (error) {
      failures++;
      console.log(`FAIL ${file}: ${object.apiVersion} ${object.kind}: ${error.message}`);
    }
  }
}
process.exit(failures ? 1 : 0);
