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

variable "target_ids" {
  description = "Root, OU or account ids to attach the SCP to (attach only once the plan is done)"
  type        = list(string)
  default     = []
}

resource "aws_organizations_policy" "roleshift_deny_iam_user_credentials" {
  name        = "roleshift-deny-iam-user-credentials"
  description = "Deny IAM user credentials outside approved exceptions and administration roles"
  type        = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "DenyIamUserCredentials"
        Effect = "Deny"
        Action = [
          "iam:CreateAccessKey",
          "iam:CreateLoginProfile",
          "iam:CreateUser",
          "iam:UpdateLoginProfile",
        ]
        NotResource = ["arn:aws:iam::*:user/roleshift-exception/*"]
        Condition = {
          ArnNotLike = {
            "aws:PrincipalArn" = [
              "arn:aws:iam::*:role/AWSControlTowerExecution",
              "arn:aws:iam::*:role/OrganizationAccountAccessRole",
              "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdministratorAccess_*",
              "arn:aws:iam::*:role/roleshift/roleshift-admin",
              "arn:aws:iam::111111111111:user/breakglass",
            ]
          }
        }
      },
      {
        Sid    = "DenyExceptionUsersUnlessApprover"
        Effect = "Deny"
        Action = [
          "iam:CreateAccessKey",
          "iam:CreateLoginProfile",
          "iam:CreateUser",
          "iam:UpdateLoginProfile",
        ]
        Resource = ["arn:aws:iam::*:user/roleshift-exception/*"]
        Condition = {
          ArnNotLike = {
            "aws:PrincipalArn" = [
              "arn:aws:iam::*:role/AWSControlTowerExecution",
              "arn:aws:iam::*:role/OrganizationAccountAccessRole",
              "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdministratorAccess_*",
              "arn:aws:iam::*:role/roleshift/roleshift-admin",
              "arn:aws:iam::111111111111:user/breakglass",
            ]
          }
          StringNotEquals = {
            "aws:PrincipalTag/roleshift:exception-approver" = "true"
          }
        }
      },
    ]
  })
  tags = {
    cost-center = "CC-1000"
    managed-by  = "roleshift"
    owner       = "cloud-platform"
  }
}

resource "aws_organizations_policy_attachment" "roleshift_deny_iam_user_credentials" {
  for_each  = toset(var.target_ids)
  policy_id = aws_organizations_policy.roleshift_deny_iam_user_credentials.id
  target_id = each.value
}
