package main

import (
	"context"
	"crypto/rsa"

	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller/serviceaccount"
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
