terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.81.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_ssoadmin_instances" "this" {}

locals {
  instance_arn      = tolist(data.aws_ssoadmin_instances.this.arns)[0]
  identity_store_id = tolist(data.aws_ssoadmin_instances.this.identity_store_ids)[0]
}

resource "aws_identitystore_user" "alice_acme_example" {
  identity_store_id = local.identity_store_id
  user_name         = "alice@acme.example"
  display_name      = "Alice Smith"

  name {
    given_name  = "Alice"
    family_name = "Smith"
  }

  emails {
    value   = "alice@acme.example"
    primary = true
  }
}

resource "aws_identitystore_group" "developers" {
  identity_store_id = local.identity_store_id
  display_name      = "developers"
}

resource "aws_identitystore_group_membership" "developers_alice_acme_example" {
  identity_store_id = local.identity_store_id
  group_id          = aws_identitystore_group.developers.group_id
  member_id         = aws_identitystore_user.alice_acme_example.user_id
}

resource "aws_ssoadmin_permission_set" "developers" {
  name             = "developers"
  description      = "Mirrors IAM group(s) developers"
  instance_arn     = local.instance_arn
  session_duration = "PT8H"
  tags = {
    cost-center         = "CC-1000"
    managed-by          = "roleshift"
    owner               = "alice@acme.example"
    "roleshift:mirrors" = "group developers"
    team                = "platform"
  }
}

resource "aws_ssoadmin_managed_policy_attachment" "developers_readonlyaccess" {
  instance_arn       = local.instance_arn
  managed_policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
  permission_set_arn = aws_ssoadmin_permission_set.developers.arn
}

resource "aws_ssoadmin_permission_set" "user_alice_smith" {
  name             = "user-alice.smith"
  description      = "Mirrors the permissions of IAM user alice.smith"
  instance_arn     = local.instance_arn
  session_duration = "PT8H"
  tags = {
    cost-center          = "CC-1000"
    managed-by           = "roleshift"
    owner                = "alice@acme.example"
    "roleshift:replaces" = "arn:aws:iam::222222222222:user/alice.smith"
  }
}

resource "aws_ssoadmin_managed_policy_attachment" "user_alice_smith_poweruseraccess" {
  instance_arn       = local.instance_arn
  managed_policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
  permission_set_arn = aws_ssoadmin_permission_set.user_alice_smith.arn
}

resource "aws_ssoadmin_account_assignment" "developers_developers_111111111111" {
  instance_arn       = local.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.developers.arn
  principal_id       = aws_identitystore_group.developers.group_id
  principal_type     = "GROUP"
  target_id          = "111111111111"
  target_type        = "AWS_ACCOUNT"
}

resource "aws_ssoadmin_account_assignment" "user_alice_smith_alice_acme_example_222222222222" {
  instance_arn       = local.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.user_alice_smith.arn
  principal_id       = aws_identitystore_user.alice_acme_example.user_id
  principal_type     = "USER"
  target_id          = "222222222222"
  target_type        = "AWS_ACCOUNT"
}
