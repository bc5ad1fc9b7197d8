// Command controlplane runs a real Kubernetes control plane for the extension's tests, in one
// process: embedded etcd, kube-apiserver (its own command and flag handling) and the
// service-account controllers of kube-controller-manager. It writes a kubeconfig with the
// sandbox's contexts, loads a fixture through the API, prints one JSON ready line and runs until
// SIGINT or SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/component-base/version"
)

type options struct {
	dataDir                   string
	port                      int
	fixture                   string
	scale                     scale
	issuers                   []string
	apiAudiences              []string
	maxTokenExpirationSeconds int64
	extendTokenExpiration     bool
	legacyTokenCleanUpPeriod  time.Duration
	legacyTokenSyncInterval   time.Duration
	legacyTokenTrackedSince   string
	verbosity                 int
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func parseOptions(args []string) options {
	var o options
	var issuers listFlag
	var audiences string
	fs := flag.NewFlagSet("controlplane", flag.ExitOnError)
	fs.StringVar(&o.dataDir, "data-dir", "", "folder for certificates, etcd data, logs and the kubeconfig (required)")
	fs.IntVar(&o.port, "port", 0, "API server port on 127.0.0.1 (0: a free port)")
	fs.StringVar(&o.fixture, "fixture", "", "fixture file to load through the API (test/fixtures/demo-cluster.json)")
	fs.IntVar(&o.scale.namespaces, "scale-namespaces", 0, "also create this many scale-NNNN namespaces")
	fs.IntVar(&o.scale.serviceAccountsPerNamespace, "scale-service-accounts-per-namespace", 10, "service accounts in each scale namespace")
	fs.IntVar(&o.scale.podsPerNamespace, "scale-pods-per-namespace", 2, "pods in each scale namespace")
	fs.Var(&issuers, "issuer", "service-account issuer; repeat it: the first signs, all are accepted")
	fs.StringVar(&audiences, "api-audiences", "", "comma-separated API audiences (default: the first issuer)")
	fs.Int64Var(&o.maxTokenExpirationSeconds, "max-token-expiration-seconds", 0, "--service-account-max-token-expiration (0: none)")
	fs.BoolVar(&o.extendTokenExpiration, "extend-token-expiration", true, "--service-account-extend-token-expiration")
	fs.DurationVar(&o.legacyTokenCleanUpPeriod, "legacy-token-clean-up-period", 365*24*time.Hour, "the legacy-token cleaner's --legacy-service-account-token-clean-up-period")
	fs.DurationVar(&o.legacyTokenSyncInterval, "legacy-token-sync-interval", 24*time.Hour, "how often the legacy-token cleaner looks")
	fs.StringVar(&o.legacyTokenTrackedSince, "legacy-token-tracked-since", "2025-01-01", "the date legacy-token use is tracked since (kube-system/kube-apiserver-legacy-service-account-token-tracking), as on a cluster that has run that long")
	fs.IntVar(&o.verbosity, "v", 0, "kube-apiserver log verbosity")
	must(fs.Parse(args))
	if o.dataDir == "" {
		fatalf("--data-dir is required")
	}
	o.issuers = issuers
	if len(o.issuers) == 0 {
		o.issuers = []string{"https://kubernetes.default.svc.cluster.local"}
	}
	for _, a := range strings.Split(audiences, ",") {
		if a != "" {
			o.apiAudiences = append(o.apiAudiences, a)
		}
	}
	return o
}

// readyLine has the shape of the sandbox CLI's, plus what only a real server has.
type readyLine struct {
	URL        string            `json:"url"`
	Kubeconfig string            `json:"kubeconfig"`
	PID        int               `json:"pid"`
	DataDir    string            `json:"dataDir"`
	AdminToken string            `json:"adminToken"`
	Contexts   map[string]string `json:"contexts"`
	Version    string            `json:"kubernetesVersion"`
	StartupMs  map[string]int64  `json:"startupMs"`
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "exec-credential" {
		execCredential(os.Args[2])
		return
	}
	o := parseOptions(os.Args[1:])
	must(os.MkdirAll(o.dataDir, 0o700))
	timings := map[string]int64{}
	lap := func(name string, since time.Time) { timings[name] = time.Since(since).Milliseconds() }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	start := time.Now()
	ca := newCA("kube-sa-tokens-test-ca")
	caPath, _ := ca.write(o.dataDir, "ca")
	servingCert, servingKey := ca.issue("kube-apiserver", nil, "127.0.0.1", "localhost", "kubernetes.default.svc").write(o.dataDir, "apiserver")
	admin := ca.issue("sandbox-admin", []string{"system:masters"})
	admin.write(o.dataDir, "admin")
	users := newTestUsers()
	signingKey, signingKeyPath, verifyingKeyPath := writeSigningKey(o.dataDir, "sa")
	// A second, older key that still verifies: the JWKS of a cluster in the middle of a key rotation.
	_, _, retiredKeyPath := writeSigningKey(o.dataDir, "sa-retired")

	etcdStart := time.Now()
	etcd, etcdURL := startEtcd(o.dataDir)
	defer etcd.Close()
	lap("etcd", etcdStart)

	port := o.port
	if port == 0 {
		port = freePort()
	}
	url := fmt.Sprintf("https://127.0.0.1:%d", port)
	apiStart := time.Now()
	stopped := runAPIServer(apiServerArgs(o, etcdURL, port, serverFiles{
		caCert: caPath, servingCert: servingCert, servingKey: servingKey,
		tokenFile: users.writeTokenFile(o.dataDir), signingKey: signingKeyPath, verifyingKeys: []string{verifyingKeyPath, retiredKeyPath},
	}))
	config := &rest.Config{Host: url, TLSClientConfig: rest.TLSClientConfig{CAData: ca.CertPEM, CertData: admin.CertPEM, KeyData: admin.KeyPEM}, QPS: -1}
	cs, err := kubernetes.NewForConfig(config)
	must(err)
	must(waitReady(ctx, cs, stopped, 3*time.Minute))
	lap("apiserver", apiStart)

	must(backdateLegacyTokenTracking(ctx, cs, o.legacyTokenTrackedSince))
	startControllers(ctx, cs, signingKey, ca.CertPEM, o)
	fixtureStart := time.Now()
	must(grantTestUsers(ctx, cs, users))
	if o.fixture != "" {
		must(loadFixture(ctx, config, o.fixture))
	}
	if o.scale.namespaces > 0 {
		must(loadScale(ctx, cs, o.scale))
	}
	must(waitSettled(ctx, cs, 2*time.Minute))
	lap("fixture", fixtureStart)

	uid := defaultAccountUID(ctx, cs)
	audiences := o.apiAudiences
	if len(audiences) == 0 {
		audiences = o.issuers[:1]
	}
	expired, err := expiredToken(ctx, signingKey, o.issuers[0], audiences, uid)
	must(err)
	self, err := os.Executable()
	must(err)
	kubeconfig := writeKubeconfig(kubeconfigInput{
		dir: o.dataDir, url: url, unreachableURL: fmt.Sprintf("https://127.0.0.1:%d", freePort()),
		ca: ca, admin: admin, users: users, expiredToken: expired, self: self,
	})
	lap("total", start)
	must(json.NewEncoder(os.Stdout).Encode(readyLine{
		URL: url, Kubeconfig: kubeconfig, PID: os.Getpid(), DataDir: o.dataDir, AdminToken: users.admin.token,
		Contexts: contexts, Version: version.Get().GitVersion, StartupMs: timings,
	}))

	// kube-apiserver's own signal handler shuts it down on SIGINT or SIGTERM.
	if err := <-stopped; err != nil {
		fmt.Fprintf(os.Stderr, "kube-apiserver stopped: %v\n", err)
	}
	cancel()
	etcd.Close()
}

// defaultAccountUID waits for the ServiceAccounts controller to create default/default.
func defaultAccountUID(ctx context.Context, cs kubernetes.Interface) types.UID {
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if account, err := cs.CoreV1().ServiceAccounts("default").Get(ctx, "default", metav1.GetOptions{}); err == nil {
			return account.UID
		}
	}
	fatalf("the ServiceAccounts controller did not create default/default in a minute")
	return ""
}

func must(err error) {
	if err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "controlplane: "+format+"\n", args...)
	os.Exit(1)
}
