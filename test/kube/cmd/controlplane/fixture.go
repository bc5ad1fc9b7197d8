package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
)

// fixtureFile is test/fixtures/demo-cluster.json, shared with the sandbox: objects in creation order.
type fixtureFile struct {
	Items []struct {
		// AgeDays is for the sandbox, which can backdate creationTimestamp; a real server cannot.
		AgeDays float64 `json:"ageDays"`
		// Terminating namespaces are deleted after creation: with no namespace controller they stay so.
		Terminating bool                   `json:"terminating"`
		Object      map[string]interface{} `json:"object"`
	} `json:"items"`
}

// loadFixture creates each object through the API, as a user would, then writes its status where
// it has one (pods and nodes: there is no kubelet or scheduler here). Namespaces to leave Terminating
// are deleted once everything else is in place.
func loadFixture(ctx context.Context, config *rest.Config, path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var f fixtureFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	cs, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	dyn, err := dynamic.NewForConfig(config)
	if err != nil {
		return err
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(cs.Discovery()))
	var terminating []string
	for _, item := range f.Items {
		obj := &unstructured.Unstructured{Object: item.Object}
		gvk := obj.GroupVersionKind()
		mapping, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err != nil {
			return fmt.Errorf("%s %s: %w", gvk.Kind, obj.GetName(), err)
		}
		client := dyn.Resource(mapping.Resource).Namespace(obj.GetNamespace())
		status, hasStatus := obj.Object["status"]
		created, err := client.Create(ctx, obj, metav1.CreateOptions{})
		if apierrors.IsAlreadyExists(err) {
			continue // created by the API server or a controller (default namespaces and service accounts)
		}
		if err != nil {
			return fmt.Errorf("creating %s %s/%s: %w", gvk.Kind, obj.GetNamespace(), obj.GetName(), err)
		}
		if hasStatus {
			created.Object["status"] = status
			if _, err := client.UpdateStatus(ctx, created, metav1.UpdateOptions{}); err != nil {
				return fmt.Errorf("status of %s %s/%s: %w", gvk.Kind, obj.GetNamespace(), obj.GetName(), err)
			}
		}
		if item.Terminating {
			if gvk.Kind != "Namespace" {
				return fmt.Errorf("%s %s: only namespaces can be terminating", gvk.Kind, obj.GetName())
			}
			terminating = append(terminating, obj.GetName())
		}
	}
	if err := waitSettled(ctx, cs, 2*time.Minute); err != nil {
		return err
	}
	for _, name := range terminating {
		if err := cs.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{}); err != nil {
			return fmt.Errorf("deleting namespace %s: %w", name, err)
		}
	}
	return nil
}

type scale struct {
	namespaces, serviceAccountsPerNamespace, podsPerNamespace int
}

// loadScale creates the sandbox's scale fixture: namespaces scale-NNNN, each with service accounts
// and running pods, spread over nodes scale-node-NNN.
func loadScale(ctx context.Context, cs kubernetes.Interface, s scale) error {
	nodes := max(1, (s.namespaces+49)/50)
	for i := range nodes {
		node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("scale-node-%03d", i)}}
		if _, err := cs.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			return err
		}
	}
	width := len(fmt.Sprint(s.namespaces))
	work := make(chan int)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if err := loadScaleNamespace(ctx, cs, s, fmt.Sprintf("scale-%0*d", width, i), fmt.Sprintf("scale-node-%03d", i%nodes)); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for i := range s.namespaces {
		work <- i
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func loadScaleNamespace(ctx context.Context, cs kubernetes.Interface, s scale, name, node string) error {
	create := func(err error) error {
		if apierrors.IsAlreadyExists(err) {
			return nil
		}
		return err
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"sandbox.test/fixture": "scale"}}}
	if _, err := cs.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); create(err) != nil {
		return err
	}
	for j := range s.serviceAccountsPerNamespace {
		account := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: scaleAccountName(j), Namespace: name}}
		switch j % 3 {
		case 1:
			account.Annotations = map[string]string{"eks.amazonaws.com/role-arn": fmt.Sprintf("arn:aws:iam::111122223333:role/%s-%s", name, account.Name)}
		case 2:
			account.Annotations = map[string]string{"iam.gke.io/gcp-service-account": fmt.Sprintf("%s@%s.iam.gserviceaccount.com", account.Name, name)}
		}
		if _, err := cs.CoreV1().ServiceAccounts(name).Create(ctx, account, metav1.CreateOptions{}); create(err) != nil {
			return err
		}
	}
	for j := range s.podsPerNamespace {
		account := "default"
		if s.serviceAccountsPerNamespace > 1 {
			account = scaleAccountName(j%(s.serviceAccountsPerNamespace-1) + 1)
		}
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("worker-%d", j), Namespace: name, Labels: map[string]string{"app": "worker"}},
			Spec:       corev1.PodSpec{ServiceAccountName: account, NodeName: node, Containers: []corev1.Container{{Name: "main", Image: "registry.example/worker:1.0"}}},
		}
		if _, err := cs.CoreV1().Pods(name).Create(ctx, pod, metav1.CreateOptions{}); create(err) != nil {
			return err
		}
	}
	return nil
}

func scaleAccountName(j int) string {
	if j == 0 {
		return "default"
	}
	return fmt.Sprintf("sa-%03d", j)
}

// waitSettled waits for the controllers' share of the fixture, so a test sees the cluster as a user
// would a minute after creating it: a default service account in every namespace and a token in
// every legacy token Secret.
func waitSettled(ctx context.Context, cs kubernetes.Interface, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		pending, err := unsettled(ctx, cs)
		if err != nil {
			return err
		}
		if pending == "" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the fixture did not settle in %s: %s", timeout, pending)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func unsettled(ctx context.Context, cs kubernetes.Interface) (string, error) {
	namespaces, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
	if err != nil {
		return "", err
	}
	accounts, err := cs.CoreV1().ServiceAccounts("").List(ctx, metav1.ListOptions{FieldSelector: "metadata.name=default"})
	if err != nil {
		return "", err
	}
	if len(accounts.Items) < len(namespaces.Items) {
		return fmt.Sprintf("%d of %d namespaces have a default service account", len(accounts.Items), len(namespaces.Items)), nil
	}
	secrets, err := cs.CoreV1().Secrets("").List(ctx, metav1.ListOptions{FieldSelector: "type=" + string(corev1.SecretTypeServiceAccountToken)})
	if err != nil {
		return "", err
	}
	for _, s := range secrets.Items {
		if len(s.Data[corev1.ServiceAccountTokenKey]) == 0 {
			return fmt.Sprintf("secret %s/%s has no token yet", s.Namespace, s.Name), nil
		}
	}
	return "", nil
}
