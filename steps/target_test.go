package steps

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/morcheck/morcheck/fixtures"
)

func TestDisplayName(t *testing.T) {
	p := fixtures.Default()
	assert.Equal(t, "John Smith", DisplayName(p, fixtures.RoleAdminUser))
	assert.Equal(t, "mjones", DisplayName(p, fixtures.RoleResellerUser), "no names: the username")

	a := p.Accounts[fixtures.RoleResellerUser]
	a.FirstName = "  Mary "
	p.Accounts[fixtures.RoleResellerUser] = a
	assert.Equal(t, "Mary", DisplayName(p, fixtures.RoleResellerUser), "one name, trimmed")

	a.DisplayName = "Mary J."
	p.Accounts[fixtures.RoleResellerUser] = a
	assert.Equal(t, "Mary J.", DisplayName(p, fixtures.RoleResellerUser), "the profile's display_name wins")
}

func TestSigningKey(t *testing.T) {
	p := fixtures.Default()
	admin, reseller := p.Accounts[fixtures.RoleAdmin].SecretKey, p.Accounts[fixtures.RoleReseller].SecretKey
	assert.Equal(t, admin, signingKey(p, fixtures.RoleAdmin))
	assert.Equal(t, reseller, signingKey(p, fixtures.RoleReseller))
	assert.Equal(t, admin, signingKey(p, fixtures.RoleAccountantManage), "an accountant signs with its owner's key")
	assert.Equal(t, admin, signingKey(p, fixtures.RoleAdminUser), "a user signs with its owner's key")
	assert.Equal(t, reseller, signingKey(p, fixtures.RoleResellerUser))
}

func TestExpandOwnerPlaceholders(t *testing.T) {
	p := fixtures.Default()
	got, err := expand(p, "CLI already exists. It is assigned to {the admin's user} device")
	assert.NoError(t, err)
	assert.Equal(t, "CLI already exists. It is assigned to John Smith device", got)

	got, err = expand(p, "no placeholder")
	assert.NoError(t, err)
	assert.Equal(t, "no placeholder", got)

	_, err = expand(p, "{the admin}")
	assert.ErrorContains(t, err, "names no owner")
	_, err = expand(p, "{the admin's user")
	assert.ErrorContains(t, err, "unclosed")
}

func TestPhraseTablesMapToProfileRoles(t *testing.T) {
	p := fixtures.Default()
	for phrase, role := range actorRoles {
		if role != "" {
			assert.Contains(t, p.Accounts, role, phrase)
		}
	}
	for phrase, role := range deviceRoles {
		if role != "" {
			assert.Contains(t, p.Devices, role, phrase)
		}
	}
	for phrase, role := range ivrRoles {
		if role != "" {
			assert.Contains(t, p.IVRs, role, phrase)
		}
	}
	assert.Equal(t, "999999", deviceID(p, "a device that does not exist"))
	assert.Equal(t, "2", ivrID(p, "the admin's IVR"))
}

func TestFreshValuesDiffer(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		n := freshNumber()
		assert.Len(t, n, 13)
		assert.False(t, seen[n], "fresh numbers repeat: %s", n)
		seen[n] = true
	}
	assert.NotEqual(t, freshDomain(), freshDomain())
	assert.NotEqual(t, unknownUsername(), unknownUsername())
}
