/// Pod and ReplicaSet documents shaped like the API server's output, written for these tests.
enum PodFixtures {
    /// A Deployment's pod being deleted: two containers, env with a literal secret-looking value and a secretKeyRef,
    /// labels, annotations, volumes and an init container that must all be skipped.
    static func pod(
        preStop: String = #"{"sleep":{"seconds":5}}"#,
        deletion: String = #""deletionTimestamp":"2026-12-06T22:35:43Z","deletionGracePeriodSeconds":30,"#,
        status: String = #"{"phase":"Running","podIP":"10.1.2.3","podIPs":[{"ip":"10.1.2.3"},{"ip":"fd00::3"}]}"#
    ) -> String {
        """
        {"kind":"Pod","apiVersion":"v1",
         "metadata":{"name":"web-7d4b9c-x2x9q","generateName":"web-7d4b9c-","namespace":"shop",
           "uid":"0b6c1f7e-pod","resourceVersion":"4711","creationTimestamp":"2026-12-06T20:00:00Z",
           \(deletion)
           "labels":{"app":"web","pod-template-hash":"7d4b9c"},
           "annotations":{"kubectl.kubernetes.io/restartedAt":"2026-12-06T19:00:00Z","note":"caf\\u00e9 \\"quoted\\""},
           "ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"not-controller","uid":"u0"},
             {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-7d4b9c","uid":"u1","controller":true,
              "blockOwnerDeletion":true}],
           "finalizers":["example.com/keep"],
           "managedFields":[{"manager":"kube-controller-manager","operation":"Update","fieldsV1":{"f:spec":{}}}]},
         "spec":{
           "volumes":[{"name":"token","secret":{"secretName":"web-token"}}],
           "initContainers":[{"name":"init","image":"busybox","command":["sh","-c","echo init"],
             "lifecycle":{"preStop":{"sleep":{"seconds":99}}}}],
           "containers":[
             {"name":"app","image":"example/web:1.2","ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},
               {"containerPort":9090}],
              "env":[{"name":"API_TOKEN","value":"s3cr3t-token-123"},
                {"name":"DB_PASSWORD","valueFrom":{"secretKeyRef":{"name":"db-credentials","key":"password"}}}],
              "envFrom":[{"secretRef":{"name":"web-env"}}],
              "readinessProbe":{"httpGet":{"path":"/healthz","port":8080}},
              "lifecycle":{"postStart":{"exec":{"command":["sh","-c","echo started"]}},"preStop":\(preStop)},
              "volumeMounts":[{"name":"token","mountPath":"/var/run/token"}]},
             {"name":"sidecar","image":"example/proxy:3","ports":null}],
           "terminationGracePeriodSeconds":45,"nodeName":"node-1","serviceAccountName":"web"},
         "status":\(status)}
        """
    }

    static let replicaSet = """
        {"kind":"ReplicaSet","apiVersion":"apps/v1",
         "metadata":{"name":"web-7d4b9c","namespace":"shop","uid":"u1","resourceVersion":"900",
           "labels":{"app":"web"},"annotations":{"deployment.kubernetes.io/revision":"3"},
           "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"d1","controller":true}]},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
           "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"x",
             "env":[{"name":"API_TOKEN","value":"s3cr3t-token-123"}]}]}}},
         "status":{"replicas":3}}
        """
}
