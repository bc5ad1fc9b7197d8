package main

import (
	"context"
	"crypto/rsa"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller/serviceaccount"
	"k8s.io/kubernetes/pkg/controlplane/controller/legacytokentracking"
	sa "k8s.io/kubernetes/pkg/serviceaccount"
	"k8s.io/utils/clock"
)

// startControllers runs, in this process, the kube-controller-manager controllers the extension
// depends on: default service accounts, legacy token Secrets, and the legacy-token cleaner.
func startControllers(ctx context.Context, cs kubernetes.Interface, signingKey *rsa.PrivateKey, rootCA []byte, o options) {
	logger := klog.FromContext(ctx)
	factory := informers.NewSharedInformerFactory(cs, 0)
	core := factory.Core().V1()

	accounts, err := serviceaccount.NewServiceAccountsController(logger, core.ServiceAccounts(), core.Namespaces(), cs, serviceaccount.DefaultServiceAccountsControllerOptions())
	must(err)

	generator, err := sa.JWTTokenGenerator(sa.LegacyIssuer, signingKey)
	must(err)
	tokens, err := serviceaccount.NewTokensController(logger, core.ServiceAccounts(), core.Secrets(), cs, serviceaccount.TokensControllerOptions{TokenGenerator: generator, RootCA: rootCA})
	must(err)

	cleaner, err := serviceaccount.NewLegacySATokenCleaner(core.ServiceAccounts(), core.Secrets(), core.Pods(), cs, clock.RealClock{}, serviceaccount.LegacySATokenCleanerOptions{
		CleanUpPeriod: o.legacyTokenCleanUpPeriod,
		SyncInterval:  o.legacyTokenSyncInterval,
	})
	must(err)

	factory.Start(ctx.Done())
	go accounts.Run(ctx, 1)
	go tokens.Run(ctx, 1)
	go cleaner.Run(ctx)
	factory.WaitForCacheSync(ctx.Done())
}

// backdateLegacyTokenTracking makes the cluster look as if the API server had tracked legacy-token
// use since `since`, as a long-running cluster has. The cleaner acts only a day after tracking began,
// which a fresh cluster would otherwise wait for.
func backdateLegacyTokenTracking(ctx context.Context, cs kubernetes.Interface, since string) error {
	deadline := time.Now().Add(time.Minute)
	for {
		cm, err := cs.CoreV1().ConfigMaps(metav1.NamespaceSystem).Get(ctx, legacytokentracking.ConfigMapName, metav1.GetOptions{})
		if err == nil {
			cm.Data[legacytokentracking.ConfigMapDataKey] = since
			_, err = cs.CoreV1().ConfigMaps(metav1.NamespaceSystem).Update(ctx, cm, metav1.UpdateOptions{})
			if err == nil {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("backdating %s: %w", legacytokentracking.ConfigMapName, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
