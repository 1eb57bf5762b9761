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

data "aws_caller_identity" "current" {}

resource "aws_iam_policy" "roleshift_boundary" {
  name        = "roleshift-boundary"
  path        = "/roleshift/"
  description = "roleshift-boundary: permissions boundary for roles that teams create themselves (under /roleshift-delegated/)"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowWithinBoundary"
        Effect    = "Allow"
        NotAction = ["account:*", "organizations:*"]
        Resource  = "*"
      },
      {
        Sid    = "DenyUserCredentials"
        Effect = "Deny"
        Action = [
          "iam:CreateAccessKey",
          "iam:CreateLoginProfile",
          "iam:CreateUser",
          "iam:UpdateLoginProfile",
        ]
        Resource = "*"
      },
      {
        Sid    = "DenyRolesWithoutThisBoundary"
        Effect = "Deny"
        Action = [
          "iam:CreateRole",
          "iam:PutRolePermissionsBoundary",
          "iam:AttachRolePolicy",
          "iam:DeleteRole",
          "iam:DeleteRolePolicy",
          "iam:DetachRolePolicy",
          "iam:PutRolePolicy",
          "iam:UpdateAssumeRolePolicy",
          "iam:UpdateRole",
          "iam:UpdateRoleDescription",
        ]
        Resource = "*"
        Condition = {
          StringNotLike = {
            "iam:PermissionsBoundary" = "arn:aws:iam::*:policy/roleshift/roleshift-boundary"
          }
        }
      },
      {
        Sid         = "DenyRolesOutsideDelegatedPath"
        Effect      = "Deny"
        Action      = ["iam:CreateRole", "iam:PassRole"]
        NotResource = ["arn:aws:iam::*:role/roleshift-delegated/*"]
      },
      {
        Sid    = "DenyUsersWithoutThisBoundary"
        Effect = "Deny"
        Action = [
          "iam:AttachUserPolicy",
          "iam:DeleteUserPolicy",
          "iam:DetachUserPolicy",
          "iam:PutUserPolicy",
        ]
        Resource = "*"
        Condition = {
          StringNotLike = {
            "iam:PermissionsBoundary" = "arn:aws:iam::*:policy/roleshift/roleshift-boundary"
          }
        }
      },
      {
        Sid    = "DenyGroupChanges"
        Effect = "Deny"
        Action = [
          "iam:AddUserToGroup",
          "iam:AttachGroupPolicy",
          "iam:DeleteGroupPolicy",
          "iam:DetachGroupPolicy",
          "iam:PutGroupPolicy",
          "iam:RemoveUserFromGroup",
        ]
        Resource = "*"
      },
      {
        Sid    = "DenyPolicyEditsOutsideDelegatedPath"
        Effect = "Deny"
        Action = [
          "iam:CreatePolicyVersion",
          "iam:DeletePolicy",
          "iam:DeletePolicyVersion",
          "iam:SetDefaultPolicyVersion",
        ]
        NotResource = ["arn:aws:iam::*:policy/roleshift-delegated/*"]
      },
      {
        Sid      = "DenyBoundaryRemoval"
        Effect   = "Deny"
        Action   = ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"]
        Resource = "*"
      },
    ]
  })
  tags = {
    cost-center = "CC-1000"
    managed-by  = "roleshift"
    owner       = "cloud-platform"
  }
}

resource "aws_kms_key" "roleshift_guardrail_alerts" {
  description         = "roleshift: encrypts the guardrail alert topic; EventBridge of this account may use it"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "AccountAdministersKey"
        Effect = "Allow"
        Principal = {
          AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"
        }
        Action   = "kms:*"
        Resource = "*"
      },
      {
        Sid    = "EventBridgePublishesAlerts"
        Effect = "Allow"
        Principal = {
          Service = "events.amazonaws.com"
        }
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = "*"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
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

resource "aws_kms_alias" "roleshift_guardrail_alerts" {
  name          = "alias/roleshift-guardrail-alerts"
  target_key_id = aws_kms_key.roleshift_guardrail_alerts.key_id
}

resource "aws_sns_topic" "roleshift_guardrail_alerts" {
  name              = "roleshift-guardrail-alerts"
  kms_master_key_id = aws_kms_key.roleshift_guardrail_alerts.arn
  tags = {
    cost-center = "CC-1000"
    managed-by  = "roleshift"
    owner       = "cloud-platform"
  }
}

resource "aws_sns_topic_policy" "roleshift_guardrail_alerts" {
  arn = aws_sns_topic.roleshift_guardrail_alerts.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "EventBridgePublish"
        Effect = "Allow"
        Principal = {
          Service = "events.amazonaws.com"
        }
        Action   = "sns:Publish"
        Resource = aws_sns_topic.roleshift_guardrail_alerts.arn
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
          }
        }
      },
    ]
  })
}

resource "aws_cloudwatch_event_rule" "roleshift_iam_create_user" {
  name        = "roleshift-iam-create-user"
  description = "An IAM user was created"
  event_pattern = jsonencode({
    source      = ["aws.iam"]
    detail-type = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["iam.amazonaws.com"]
      eventName   = ["CreateUser"]
    }
  })
  tags = {
    cost-center = "CC-1000"
    managed-by  = "roleshift"
    owner       = "cloud-platform"
  }
}

resource "aws_cloudwatch_event_target" "roleshift_iam_create_user" {
  rule      = aws_cloudwatch_event_rule.roleshift_iam_create_user.name
  target_id = "sns"
  arn       = aws_sns_topic.roleshift_guardrail_alerts.arn
}

resource "aws_cloudwatch_event_rule" "roleshift_iam_create_access_key" {
  name        = "roleshift-iam-create-access-key"
  description = "An IAM access key was created"
  event_pattern = jsonencode({
    source      = ["aws.iam"]
    detail-type = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["iam.amazonaws.com"]
      eventName   = ["CreateAccessKey"]
    }
  })
  tags = {
    cost-center = "CC-1000"
    managed-by  = "roleshift"
    owner       = "cloud-platform"
  }
}

resource "aws_cloudwatch_event_target" "roleshift_iam_create_access_key" {
  rule      = aws_cloudwatch_event_rule.roleshift_iam_create_access_key.name
  target_id = "sns"
  arn       = aws_sns_topic.roleshift_guardrail_alerts.arn
}

resource "aws_cloudwatch_event_rule" "roleshift_iam_create_login_profile" {
  name        = "roleshift-iam-create-login-profile"
  description = "An IAM user got a console password"
  event_pattern = jsonencode({
    source      = ["aws.iam"]
    detail-type = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["iam.amazonaws.com"]
      eventName   = ["CreateLoginProfile", "UpdateLoginProfile"]
    }
  })
  tags = {
    cost-center = "CC-1000"
    managed-by  = "roleshift"
    owner       = "cloud-platform"
  }
}

resource "aws_cloudwatch_event_target" "roleshift_iam_create_login_profile" {
  rule      = aws_cloudwatch_event_rule.roleshift_iam_create_login_profile.name
  target_id = "sns"
  arn       = aws_sns_topic.roleshift_guardrail_alerts.arn
}

resource "aws_cloudwatch_event_rule" "roleshift_root_activity" {
  name        = "roleshift-root-activity"
  description = "The root user did something"
  event_pattern = jsonencode({
    detail-type = ["AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail"]
    detail = {
      userIdentity = {
        type = ["Root"]
      }
    }
  })
  tags = {
    cost-center = "CC-1000"
    managed-by  = "roleshift"
    owner       = "cloud-platform"
  }
}

resource "aws_cloudwatch_event_target" "roleshift_root_activity" {
  rule      = aws_cloudwatch_event_rule.roleshift_root_activity.name
  target_id = "sns"
  arn       = aws_sns_topic.roleshift_guardrail_alerts.arn
}

resource "aws_cloudwatch_event_rule" "roleshift_break_glass_login" {
  name        = "roleshift-break-glass-login"
  description = "A break-glass user signed in to the console"
  event_pattern = jsonencode({
    source      = ["aws.signin"]
    detail-type = ["AWS Console Sign In via CloudTrail"]
    detail = {
      eventName = ["ConsoleLogin"]
      userIdentity = {
        type     = ["IAMUser"]
        userName = ["breakglass"]
      }
    }
  })
  tags = {
    cost-center = "CC-1000"
    managed-by  = "roleshift"
    owner       = "cloud-platform"
  }
}

resource "aws_cloudwatch_event_target" "roleshift_break_glass_login" {
  rule      = aws_cloudwatch_event_rule.roleshift_break_glass_login.name
  target_id = "sns"
  arn       = aws_sns_topic.roleshift_guardrail_alerts.arn
}
