package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// staticUser is a user of the API server's --token-auth-file.
type staticUser struct {
	token, name string
	groups      []string
}

// testUsers mirror the sandbox's: an admin, a namespace-limited user and an exec-plugin user; and a
// kubelet's identity, which the Node authorizer answers for (its rules cannot be listed: incomplete).
type testUsers struct {
	admin, limited, exec, node staticUser
}

func randomToken() string {
	b := make([]byte, 24)
	_, err := rand.Read(b)
	must(err)
	return hex.EncodeToString(b)
}

func newTestUsers() testUsers {
	return testUsers{
		admin:   staticUser{randomToken(), "sandbox-admin", []string{"system:masters"}},
		limited: staticUser{randomToken(), "jane", nil},
		exec:    staticUser{randomToken(), "sandbox-exec", []string{"sandbox:ops"}},
		node:    staticUser{randomToken(), "system:node:worker-1", []string{"system:nodes"}},
	}
}

// writeTokenFile writes the static token file: token,user,uid,"group1,group2".
func (u testUsers) writeTokenFile(dir string) string {
	var b strings.Builder
	for _, s := range []staticUser{u.admin, u.limited, u.exec, u.node} {
		fmt.Fprintf(&b, "%s,%s,%s,%q\n", s.token, s.name, s.name, strings.Join(s.groups, ","))
	}
	path := filepath.Join(dir, "tokens.csv")
	must(os.WriteFile(path, []byte(b.String()), 0o600))
	return path
}

var readOnly = []string{"get", "list", "watch"}

// grantTestUsers creates the limited users' RBAC, the same rights the sandbox's RBAC model gives them.
func grantTestUsers(ctx context.Context, cs kubernetes.Interface, u testUsers) error {
	for _, ns := range []string{"build", "web"} {
		if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			return err
		}
	}
	roles := []struct {
		namespace, name string
		subject         rbacv1.Subject
		rules           []rbacv1.PolicyRule
	}{
		{"build", "jane-build", rbacv1.Subject{Kind: rbacv1.UserKind, Name: u.limited.name}, []rbacv1.PolicyRule{
			{Verbs: readOnly, APIGroups: []string{""}, Resources: []string{"serviceaccounts", "pods"}},
			{Verbs: []string{"create"}, APIGroups: []string{""}, Resources: []string{"serviceaccounts/token"}},
		}},
		{"web", "jane-web", rbacv1.Subject{Kind: rbacv1.UserKind, Name: u.limited.name}, []rbacv1.PolicyRule{
			{Verbs: readOnly, APIGroups: []string{""}, Resources: []string{"serviceaccounts"}},
		}},
		{"build", "ci-bot-build", rbacv1.Subject{Kind: rbacv1.ServiceAccountKind, Name: "ci-bot", Namespace: "build"}, []rbacv1.PolicyRule{
			{Verbs: []string{"get", "list"}, APIGroups: []string{""}, Resources: []string{"pods", "serviceaccounts"}},
		}},
		{"", "sandbox-ops", rbacv1.Subject{Kind: rbacv1.GroupKind, Name: "sandbox:ops"}, []rbacv1.PolicyRule{
			{Verbs: readOnly, APIGroups: []string{""}, Resources: []string{"namespaces", "nodes", "pods", "serviceaccounts"}},
			{Verbs: []string{"create"}, APIGroups: []string{""}, Resources: []string{"serviceaccounts/token"}},
			{Verbs: []string{"create"}, APIGroups: []string{"authentication.k8s.io"}, Resources: []string{"tokenreviews"}},
		}},
	}
	for _, r := range roles {
		if r.subject.Kind != rbacv1.ServiceAccountKind {
			r.subject.APIGroup = rbacv1.GroupName
		}
		meta := metav1.ObjectMeta{Name: r.name, Namespace: r.namespace}
		var err error
		if r.namespace == "" {
			_, err = cs.RbacV1().ClusterRoles().Create(ctx, &rbacv1.ClusterRole{ObjectMeta: meta, Rules: r.rules}, metav1.CreateOptions{})
			if err == nil {
				_, err = cs.RbacV1().ClusterRoleBindings().Create(ctx, &rbacv1.ClusterRoleBinding{ObjectMeta: meta, Subjects: []rbacv1.Subject{r.subject}, RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: r.name}}, metav1.CreateOptions{})
			}
		} else {
			_, err = cs.RbacV1().Roles(r.namespace).Create(ctx, &rbacv1.Role{ObjectMeta: meta, Rules: r.rules}, metav1.CreateOptions{})
			if err == nil {
				_, err = cs.RbacV1().RoleBindings(r.namespace).Create(ctx, &rbacv1.RoleBinding{ObjectMeta: meta, Subjects: []rbacv1.Subject{r.subject}, RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: r.name}}, metav1.CreateOptions{})
			}
		}
		if err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("granting %s: %w", r.name, err)
		}
	}
	return nil
}
